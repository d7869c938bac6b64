using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <summary>Reads on pooled read-only connections: in WAL mode they never wait for the writer.</summary>
internal sealed class SyncStoreReader(SyncDatabase database)
{
    public ChangePage ReadChanges(string workspaceId, long afterSequence, int limit)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, entity_id, type, version, payload, deleted FROM changes
            WHERE workspace_id = $workspace AND seq > $after
            ORDER BY seq
            LIMIT $take
            """;
        command.Parameters.AddWithValue("$workspace", workspaceId);
        command.Parameters.AddWithValue("$after", afterSequence);
        // One row past the page tells whether more follow without a second query.
        command.Parameters.AddWithValue("$take", limit + 1);

        var changes = new List<ChangeRecord>(Math.Min(limit, 1024));
        var last = afterSequence;
        var hasMore = false;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (changes.Count == limit)
            {
                hasMore = true;
                break;
            }

            last = reader.GetInt64(0);
            var payload = reader.IsDBNull(4) ? null : new RawJson(reader.GetString(4));
            changes.Add(new ChangeRecord(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), payload, reader.GetInt64(5) != 0));
        }

        return new ChangePage(changes, last, hasMore);
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
}
