using Microsoft.Data.Sqlite;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// PRAGMA data_version moves when any other connection (another process, or our own writer) commits.
/// It is only meaningful on one long-lived connection, hence a dedicated one.
/// </summary>
internal sealed class ChangeStampSource(string path, TimeSpan busyTimeout, Func<long> localCommits) : IDisposable
{
    private readonly Lock gate = new();
    private StatementCache? connection;
    private bool disposed;

    public long Read()
    {
        lock (gate)
        {
            if (disposed)
            {
                throw SqliteErrors.Closed();
            }

            try
            {
                connection ??= new StatementCache(StoreConnections.OpenReader(path, busyTimeout));
                var dataVersion = connection.Sql("PRAGMA data_version;").ScalarInt64() ?? 0;
                // Both parts only grow, so their sum changes whenever either does.
                return dataVersion + localCommits();
            }
            catch (SqliteException error)
            {
                throw SqliteErrors.Map(error);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            connection?.Dispose();
            connection = null;
        }
    }
}
