using System.Data;
using Npgsql;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage.Postgres;

/// <summary>Reads on pooled connections; they never wait for writers (MVCC).</summary>
internal sealed class PostgresSyncStoreReader(NpgsqlDataSource dataSource) : ISyncStoreReader
{
    public ChangePage? ReadChanges(string workspaceId, FeedPosition? since, int limit, bool countRemaining, out FeedHorizon horizon)
    {
        using var connection = dataSource.OpenConnection();
        // One snapshot for the horizon, the count and the rows, as on SQLite: a compaction committed between the horizon
        // check and the page read could otherwise purge a delete that a cursor accepted under the old horizon still needs.
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        horizon = ReadHorizon(connection, transaction, workspaceId);
        if (since is FeedPosition from && (horizon.Expires(from) || !horizon.CouldHaveIssued(from)))
        {
            return null;
        }

        var after = since?.Sequence ?? 0;
        long? remaining = countRemaining ? CountAfter(connection, transaction, workspaceId, after) : null;
        var (changes, last, hasMore) = ReadPage(connection, transaction, workspaceId, after, limit);
        transaction.Commit();
        var next = changes.Count > 0 || since is null ? new FeedPosition(horizon.Epoch, last) : since.Value;
        return new ChangePage(changes, next, hasMore, remaining);
    }

    public EntityState? ReadEntity(string workspaceId, string entityId)
    {
        using var command = dataSource.CreateCommand("SELECT version, payload, deleted FROM entities WHERE workspace_id = $1 AND entity_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entityId });
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var payload = reader.IsDBNull(1) ? null : new RawJson(reader.GetString(1));
        return new EntityState(reader.GetInt64(0), payload, reader.GetBoolean(2));
    }

    public byte[]? ReadBlob(string workspaceId, string sha256)
    {
        using var command = dataSource.CreateCommand("SELECT content FROM blobs WHERE workspace_id = $1 AND sha256 = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
        return command.ExecuteScalar() as byte[];
    }

    public long? BlobSize(string workspaceId, string sha256)
    {
        using var command = dataSource.CreateCommand("SELECT size FROM blobs WHERE workspace_id = $1 AND sha256 = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
        return command.ExecuteScalar() as long?;
    }

    public HashSet<string> MissingBlobs(string workspaceId, IEnumerable<string> hashes)
    {
        var missing = new HashSet<string>(hashes, StringComparer.Ordinal);
        using var command = dataSource.CreateCommand("SELECT sha256 FROM blobs WHERE workspace_id = $1 AND sha256 = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. missing] });
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            missing.Remove(reader.GetString(0));
        }

        return missing;
    }

    private static FeedHorizon ReadHorizon(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId)
    {
        using var command = new NpgsqlCommand("SELECT horizon, epoch FROM workspaces WHERE workspace_id = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        using var reader = command.ExecuteReader();
        return reader.Read() ? new FeedHorizon(reader.GetInt64(0), reader.GetInt64(1)) : default;
    }

    private static long CountAfter(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, long after)
    {
        using var command = new NpgsqlCommand("SELECT count(*) FROM changes WHERE workspace_id = $1 AND seq > $2", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        return (long)command.ExecuteScalar()!;
    }

    /// <returns>The rows after <paramref name="after"/>, the sequence of the last (or <paramref name="after"/>),
    /// and whether more follow.</returns>
    private static (List<ChangeRecord> Changes, long Last, bool HasMore) ReadPage(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, long after, int limit)
    {
        using var command = new NpgsqlCommand("""
            SELECT seq, entity_id, type, version, payload, deleted FROM changes
            WHERE workspace_id = $1 AND seq > $2
            ORDER BY seq
            LIMIT $3
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        // One row past the page tells whether more follow without a second query.
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });

        using var reader = command.ExecuteReader();
        return ChangeRows.ReadPage(reader, after, limit);
    }
}
