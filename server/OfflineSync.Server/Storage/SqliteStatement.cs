using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OfflineSync.Server.Storage;

/// <summary>
/// One prepared statement on the writer connection, driven through SQLitePCLRaw directly. The
/// Microsoft.Data.Sqlite command layer looks every parameter up by name and re-encodes every string into a new
/// array on each execution; for these small writes that cost more than SQLite's own B-tree work.
/// Parameters are numbered (<c>?1</c>, <c>?2</c>, …) in the SQL and bound by that number.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    // Identifiers are at most 512 characters (CommandLimits); longer text is encoded into a rented array.
    private const int StackBytes = 1024;

    private readonly sqlite3 db;
    private readonly sqlite3_stmt handle;

    public SqliteStatement(sqlite3 db, string sql)
    {
        this.db = db;
        var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out handle);
        if (rc != raw.SQLITE_OK)
        {
            handle.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(handle, index, value));

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(handle, index));

    /// <summary>Binds UTF-8 text; SQLite copies it, so the span need not outlive the call.</summary>
    public void BindUtf8(int index, ReadOnlySpan<byte> utf8) =>
        // An empty span has no address, which SQLite would read as NULL; the string overload binds ''.
        Check(utf8.IsEmpty ? raw.sqlite3_bind_text(handle, index, string.Empty) : raw.sqlite3_bind_text(handle, index, utf8));

    public void BindText(int index, string? value)
    {
        if (value is null)
        {
            BindNull(index);
            return;
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (maxBytes <= StackBytes)
        {
            Span<byte> buffer = stackalloc byte[StackBytes];
            BindUtf8(index, buffer[..Encoding.UTF8.GetBytes(value, buffer)]);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            BindUtf8(index, rented.AsSpan(0, Encoding.UTF8.GetBytes(value, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Runs a statement that returns no rows to completion, and resets it for the next use.</summary>
    public int Execute()
    {
        try
        {
            while (Step())
            {
            }

            return raw.sqlite3_changes(db);
        }
        finally
        {
            Reset();
        }
    }

    /// <returns>True when a row is available to read; false when the statement is done.</returns>
    public bool Step()
    {
        var rc = raw.sqlite3_step(handle);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        return false;
    }

    /// <summary>Makes the statement ready to run again; bindings are kept and overwritten by the next Bind.</summary>
    public void Reset() => raw.sqlite3_reset(handle);

    public bool IsNull(int column) => raw.sqlite3_column_type(handle, column) == raw.SQLITE_NULL;

    public long Int64(int column) => raw.sqlite3_column_int64(handle, column);

    /// <summary>A text column's UTF-8 bytes, copied out of SQLite's buffer.</summary>
    public byte[] Utf8(int column) => raw.sqlite3_column_blob(handle, column).ToArray();

    public void Dispose() => handle.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
