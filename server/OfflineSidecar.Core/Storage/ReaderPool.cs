using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Read connections, separate from the writer: in WAL mode a reader sees the last commit and never
/// waits for a write in progress. Connections are kept (with their compiled statements) for reuse.
/// </summary>
internal sealed class ReaderPool(string path, TimeSpan busyTimeout) : IDisposable
{
    private const int MaxIdle = 4;

    private readonly Lock gate = new();
    private readonly Stack<StatementCache> idle = new();
    private bool disposed;

    public T Read<T>(Func<StatementCache, T> read)
    {
        var reader = Rent();
        var healthy = true;
        try
        {
            return read(reader);
        }
        catch (SqliteException error)
        {
            healthy = false;
            throw SqliteErrors.Map(error);
        }
        finally
        {
            Return(reader, healthy);
        }
    }

    /// <summary>
    /// A read as a task, run on the caller's thread: reads are short and SQLite's API is synchronous anyway. A refusal
    /// comes back as a faulted task, never thrown.
    /// </summary>
    public Task<T> ReadAsync<T>(Func<StatementCache, T> read, CancellationToken cancellationToken, bool consistent = false)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(consistent ? ReadConsistent(read) : Read(read));
        }
        catch (QueueException error)
        {
            return Task.FromException<T>(error);
        }
    }

    /// <summary>Runs several statements against one snapshot (e.g. a page and its total).</summary>
    public T ReadConsistent<T>(Func<StatementCache, T> read) => Read(reader =>
    {
        reader.Sql("BEGIN;").ExecuteNonQuery();
        try
        {
            return read(reader);
        }
        finally
        {
            reader.Sql("COMMIT;").ExecuteNonQuery();
        }
    });

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            while (idle.TryPop(out var reader))
            {
                reader.Dispose();
            }
        }
    }

    private StatementCache Rent()
    {
        lock (gate)
        {
            if (disposed)
            {
                throw SqliteErrors.Closed();
            }

            if (idle.TryPop(out var reader))
            {
                return reader;
            }
        }

        try
        {
            return new StatementCache(StoreConnections.OpenReader(path, busyTimeout));
        }
        catch (SqliteException error)
        {
            throw SqliteErrors.Map(error);
        }
    }

    private void Return(StatementCache reader, bool healthy)
    {
        lock (gate)
        {
            if (healthy && !disposed && idle.Count < MaxIdle)
            {
                idle.Push(reader);
                return;
            }
        }

        reader.Dispose();
    }
}
