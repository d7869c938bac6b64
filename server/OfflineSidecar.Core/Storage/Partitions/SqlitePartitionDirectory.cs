using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Accounts;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage.Partitions;

/// <summary>
/// Whose work is whose in the store: which partition credentials open (offline too), what the server's answer about an
/// account changes, and erasing an account's partition so its bytes leave the file. The workspace ids the queue and
/// cache are opened with (<see cref="SqliteOperationStore.Workspace"/>) are the names handed out here.
/// </summary>
public sealed class SqlitePartitionDirectory
{
    private readonly SqliteOperationStore store;

    internal SqlitePartitionDirectory(SqliteOperationStore store) => this.store = store;

    /// <param name="server">The sync server's URL, "" when none is configured.</param>
    /// <returns>The name of the partition these credentials open.</returns>
    public Task<string> OpenAsync(string workspaceId, string server, string? token, CancellationToken cancellationToken = default)
    {
        Validate(workspaceId, server);
        return store.Writer.RunAsync(session => PartitionChoice.Open(session, workspaceId, server, token), cancellationToken);
    }

    /// <summary>The server said <paramref name="token"/> acts for <paramref name="accountId"/>.</summary>
    public Task<AccountSwitch> IdentifyAsync(string workspaceId, string server, string? token, string accountId, CancellationToken cancellationToken = default)
    {
        Validate(workspaceId, server);
        OperationInputRules.ValidateKey(accountId ?? throw OperationInputRules.Invalid("accountId: required"), "accountId");
        return store.Writer.RunAsync(session => PartitionChoice.Identify(session, workspaceId, server, token, accountId), cancellationToken);
    }

    public Task<StorePartition?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        store.Readers.ReadAsync(reader => PartitionRows.Get(reader, name), cancellationToken);

    /// <summary>Every partition with what it holds.</summary>
    public Task<IReadOnlyList<PartitionSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        store.Readers.ReadAsync<IReadOnlyList<PartitionSummary>>(
            reader => [.. PartitionRows.All(reader).Select(partition => Summarize(reader, partition))],
            cancellationToken,
            consistent: true);

    /// <summary>
    /// For the CLI: a partition by its name, else the most recently used partition of a workspace, else the name as given
    /// (a store from before accounts, or a new workspace).
    /// </summary>
    public Task<string> FindAsync(string workspaceOrPartition, CancellationToken cancellationToken = default) =>
        store.Readers.ReadAsync(
            reader => PartitionRows.Get(reader, workspaceOrPartition) is not null
                ? workspaceOrPartition
                : reader.Sql("SELECT name FROM partitions WHERE workspace = $w ORDER BY used_at DESC LIMIT 1;")
                    .With("$w", workspaceOrPartition).ExecuteScalar() as string ?? workspaceOrPartition,
            cancellationToken);

    /// <summary>
    /// Deletes the partition's queue and cache, forgets which credentials opened it, then rebuilds the file (VACUUM) and
    /// empties the WAL, so what it held is gone from the disk, not merely unlinked.
    /// </summary>
    public async Task<PartitionErasure> EraseAsync(string name, CancellationToken cancellationToken = default)
    {
        var before = FileBytes();
        var (operations, documents) = await store.Writer.RunAsync(session => PartitionErase.Partition(session, name), cancellationToken).ConfigureAwait(false);
        await Task.Run(Compact, CancellationToken.None).ConfigureAwait(false);
        return new PartitionErasure(operations, documents, before, FileBytes());
    }

    private void Compact()
    {
        try
        {
            using var connection = StoreConnections.Open(store.DatabasePath, store.BusyTimeout);
            StoreConnections.Execute(connection, "VACUUM;");
            StoreConnections.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        catch (SqliteException error)
        {
            throw SqliteErrors.Map(error);
        }
    }

    private long FileBytes()
    {
        long Size(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
        return Size(store.DatabasePath) + Size(store.DatabasePath + "-wal");
    }

    private static PartitionSummary Summarize(StatementCache reader, StorePartition partition)
    {
        long Count(string sql) => reader.Sql(sql).With("$w", partition.Name).ScalarInt64() ?? 0;
        return new PartitionSummary(
            partition,
            Count("SELECT COALESCE(SUM(count), 0) FROM queue_counts WHERE workspace = $w AND " + DocumentSql.Unfinished + ";"),
            Count("SELECT COALESCE(SUM(count), 0) FROM queue_counts WHERE workspace = $w;"),
            Count("SELECT COALESCE(SUM(entities), 0) FROM cache_totals WHERE workspace = $w;"),
            Count("SELECT COALESCE(SUM(bytes), 0) FROM cache_totals WHERE workspace = $w;"));
    }

    private static void Validate(string workspaceId, string server)
    {
        if (workspaceId is null)
        {
            throw OperationInputRules.Invalid("workspaceId: required");
        }

        OperationInputRules.ValidateKey(workspaceId, "workspaceId");
        ArgumentNullException.ThrowIfNull(server);
    }
}
