using Microsoft.Data.Sqlite;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <summary>Reads on pooled read-only connections: in WAL mode they never wait for the writer.</summary>
internal sealed class SyncStoreReader(SyncDatabase database) : ISyncStoreReader
{
    /// <summary>Covered by <c>changes_by_workspace</c>: counts index entries of one range, never reads a row.</summary>
    internal const string CountAfterSql = "SELECT COUNT(*) FROM changes WHERE workspace_id = $workspace AND seq > $after";

    private const string HorizonSql = "SELECT horizon, epoch FROM feed_horizons WHERE workspace_id = $workspace";

    private const string PageSql = """
        SELECT seq, entity_id, type, version, payload, deleted FROM changes
        WHERE workspace_id = $workspace AND seq > $after
        ORDER BY seq
        LIMIT $take
        """;

    /// <param name="since">The request's cursor; null reads from the beginning, which no horizon refuses.</param>
    /// <param name="horizon">The workspace's feed horizon, from the same snapshot as the page.</param>
    /// <returns>The page, or null when <paramref name="horizon"/> expires <paramref name="since"/> or shows that it
    /// was never issued.</returns>
    public ChangePage? ReadChanges(string workspaceId, FeedPosition? since, int limit, bool countRemaining, out FeedHorizon horizon)
    {
        using var connection = database.OpenReader();
        // One snapshot for the horizon, the count and the rows: a compaction committed between the horizon check and
        // the page read could otherwise purge a delete that a cursor accepted under the old horizon still needs, and
        // the page's cursor would carry an epoch that does not match the rows it was read from.
        using var transaction = connection.BeginTransaction(deferred: true);
        horizon = ReadHorizon(transaction, workspaceId);
        if (since is FeedPosition from && (horizon.Expires(from) || !horizon.CouldHaveIssued(from)))
        {
            return null;
        }

        var after = since?.Sequence ?? 0;
        long? remaining = countRemaining ? CountAfter(transaction, workspaceId, after) : null;
        var (changes, last, hasMore) = ReadPage(transaction, workspaceId, after, limit);
        var next = changes.Count > 0 || since is null ? new FeedPosition(horizon.Epoch, last) : since.Value;
        return new ChangePage(changes, next, hasMore, remaining);
    }

    /// <returns>The entity, or null when it was never written.</returns>
    public EntityState? ReadEntity(string workspaceId, string entityId)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, payload, deleted FROM entities WHERE workspace_id = $workspace AND entity_id = $entity";
        command.Parameters.AddWithValue("$workspace", workspaceId);
        command.Parameters.AddWithValue("$entity", entityId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var payload = reader.IsDBNull(1) ? null : new RawJson(reader.GetString(1));
        return new EntityState(reader.GetInt64(0), payload, reader.GetInt64(2) != 0);
    }

    /// <returns>The blob's content, or null when this workspace holds none with that hash.</returns>
    public byte[]? ReadBlob(string workspaceId, string sha256)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT content FROM blobs WHERE workspace_id = $workspace AND sha256 = $sha256";
        command.Parameters.AddWithValue("$workspace", workspaceId);
        command.Parameters.AddWithValue("$sha256", sha256);
        return command.ExecuteScalar() as byte[];
    }

    /// <summary>The size of a held blob without reading it (SQLite's length() stops at the record header).</summary>
    public long? BlobSize(string workspaceId, string sha256)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(content) FROM blobs WHERE workspace_id = $workspace AND sha256 = $sha256";
        command.Parameters.AddWithValue("$workspace", workspaceId);
        command.Parameters.AddWithValue("$sha256", sha256);
        return command.ExecuteScalar() as long?;
    }

    /// <returns>Those of <paramref name="hashes"/> this workspace holds no blob for.</returns>
    public HashSet<string> MissingBlobs(string workspaceId, IEnumerable<string> hashes)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM blobs WHERE workspace_id = $workspace AND sha256 = $sha256";
        var workspace = command.Parameters.AddWithValue("$workspace", workspaceId);
        var hash = command.Parameters.Add("$sha256", SqliteType.Text);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sha256 in hashes)
        {
            hash.Value = sha256;
            if (command.ExecuteScalar() is null)
            {
                missing.Add(sha256);
            }
        }

        return missing;
    }

    private static FeedHorizon ReadHorizon(SqliteTransaction transaction, string workspaceId)
    {
        using var command = NewCommand(transaction, HorizonSql);
        command.Parameters.AddWithValue("$workspace", workspaceId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new FeedHorizon(reader.GetInt64(0), reader.GetInt64(1)) : default;
    }

    private static long CountAfter(SqliteTransaction transaction, string workspaceId, long after)
    {
        using var command = NewCommand(transaction, CountAfterSql);
        command.Parameters.AddWithValue("$workspace", workspaceId);
        command.Parameters.AddWithValue("$after", after);
        return (long)command.ExecuteScalar()!;
    }

    /// <returns>The rows after <paramref name="after"/>, the sequence of the last (or <paramref name="after"/>),
    /// and whether more follow.</returns>
    private static (List<ChangeRecord> Changes, long Last, bool HasMore) ReadPage(SqliteTransaction transaction, string workspaceId, long after, int limit)
    {
        using var command = NewCommand(transaction, PageSql);
        command.Parameters.AddWithValue("$workspace", workspaceId);
        command.Parameters.AddWithValue("$after", after);
        // One row past the page tells whether more follow without a second query.
        command.Parameters.AddWithValue("$take", limit + 1);

        using var reader = command.ExecuteReader();
        return ChangeRows.ReadPage(reader, after, limit);
    }

    private static SqliteCommand NewCommand(SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
