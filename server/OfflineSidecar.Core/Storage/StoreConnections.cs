using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OfflineSidecar.Core.Storage;

/// <summary>Opens connections to the database file with the pragmas every role needs.</summary>
internal static class StoreConnections
{
    private static readonly Lazy<bool> NativeLibrary = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    public static void EnsureNativeLibrary() => _ = NativeLibrary.Value;

    /// <summary>The single writer of this process: WAL, foreign keys, the chosen durability.</summary>
    public static SqliteConnection OpenWriter(string path, SynchronousMode synchronous, TimeSpan busyTimeout)
    {
        var connection = Open(path, busyTimeout);
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, "PRAGMA foreign_keys = ON;");
        Execute(connection, SynchronousPragma(synchronous));
        // Checkpoints run on their own connection (WalCheckpointer); the writer's own is only a backstop.
        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint = {WalCheckpointer.BackstopPages};"));
        // Statement journals (triggers, upserts) otherwise go to a temp file: a dozen pwrite calls per insert.
        Execute(connection, "PRAGMA temp_store = MEMORY;");
        // 16 MiB keeps the hot index pages of a large queue cached for the writer.
        Execute(connection, "PRAGMA cache_size = -16384;");
        return connection;
    }

    /// <summary>Readers never write; query_only turns a bug into an error instead of a second writer.</summary>
    public static SqliteConnection OpenReader(string path, TimeSpan busyTimeout)
    {
        var connection = Open(path, busyTimeout);
        Execute(connection, "PRAGMA query_only = ON;");
        return connection;
    }

    /// <summary>A plain connection (integrity check, change stamps).</summary>
    public static SqliteConnection Open(string path, TimeSpan busyTimeout)
    {
        EnsureNativeLibrary();
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            // Our own pools keep connections; Microsoft.Data.Sqlite's pool would keep file handles open after Dispose.
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static string SynchronousPragma(SynchronousMode mode) =>
        mode == SynchronousMode.Normal ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;";

    /// <summary>Some errors (SQLITE_FULL, I/O) already rolled the transaction back; a second ROLLBACK would throw.</summary>
    public static void RollbackIfActive(SqliteConnection connection)
    {
        if (connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0)
        {
            Execute(connection, "ROLLBACK;");
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // constant SQL of this assembly
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }
}
