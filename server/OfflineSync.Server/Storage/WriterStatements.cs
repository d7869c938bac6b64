using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage;

/// <summary>
/// The writer connection's statements, created once: Microsoft.Data.Sqlite keeps a command's compiled
/// statements between executions. Applying a command takes two executions (look up, write), since the
/// per-execution overhead, not SQLite, dominates the cost of small writes.
/// </summary>
internal sealed class WriterStatements : IDisposable
{
    private const string UpsertEntitySql = """
        INSERT INTO entities (workspace_id, entity_id, version, payload, deleted, updated_at)
        VALUES ($workspace, $entity, $version, $payload, $deleted, $now)
        ON CONFLICT (workspace_id, entity_id) DO UPDATE SET
            version = excluded.version, payload = excluded.payload,
            deleted = excluded.deleted, updated_at = excluded.updated_at;
        INSERT INTO changes (workspace_id, entity_id, type, version, payload, deleted, changed_at)
        VALUES ($workspace, $entity, $type, $version, $payload, $deleted, $now);
        """;

    private readonly List<SqliteCommand> all = [];

    public WriterStatements(SqliteConnection connection)
    {
        // Always one row: the original version when the key was applied before (else null), then the
        // entity's state (nulls when it does not exist).
        LookUpCommand = Create(connection, """
            SELECT
                (SELECT version FROM idempotency
                 WHERE workspace_id = $workspace AND user_id = $user AND idempotency_key = $key),
                e.version, e.payload, e.deleted
            FROM (SELECT 1)
            LEFT JOIN entities e ON e.workspace_id = $workspace AND e.entity_id = $entity
            """, "$workspace", "$user", "$key", "$entity");
        FindVersion = Create(connection, """
            SELECT version FROM entities
            WHERE workspace_id = $workspace AND entity_id = $entity
            """, "$workspace", "$entity");
        ApplyCommand = Create(connection, UpsertEntitySql + """

            INSERT INTO idempotency (workspace_id, user_id, idempotency_key, command_id, entity_id, version, applied_at)
            VALUES ($workspace, $user, $key, $command, $entity, $version, $now);
            """, "$workspace", "$entity", "$type", "$version", "$payload", "$deleted", "$now", "$user", "$key", "$command");
        WriteEntity = Create(connection, UpsertEntitySql,
            "$workspace", "$entity", "$type", "$version", "$payload", "$deleted", "$now");
        PruneIdempotencyChunk = Create(connection, """
            DELETE FROM idempotency WHERE (workspace_id, user_id, idempotency_key) IN (
                SELECT workspace_id, user_id, idempotency_key FROM idempotency
                WHERE applied_at < $cutoff LIMIT $chunk)
            """, "$cutoff", "$chunk");
    }

    /// <summary>Idempotency record and entity state of one command.</summary>
    public SqliteCommand LookUpCommand { get; }

    public SqliteCommand FindVersion { get; }

    /// <summary>Entity upsert, change row and idempotency record of one applied command.</summary>
    public SqliteCommand ApplyCommand { get; }

    /// <summary>Entity upsert and change row without an idempotency record (admin writes).</summary>
    public SqliteCommand WriteEntity { get; }

    public SqliteCommand PruneIdempotencyChunk { get; }

    /// <summary>Microsoft.Data.Sqlite requires each command to name the connection's open transaction.</summary>
    public void Enlist(SqliteTransaction transaction)
    {
        foreach (var command in all)
        {
            command.Transaction = transaction;
        }
    }

    public void Dispose()
    {
        foreach (var command in all)
        {
            command.Dispose();
        }
    }

    private SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        all.Add(command);
        return command;
    }
}
