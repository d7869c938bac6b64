using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OfflineSync.Server.Storage;

/// <summary>
/// The writer connection's statements, prepared once and kept for the life of the server. Only the
/// <see cref="WriteQueue"/>'s current drainer uses them, one work item at a time.
/// </summary>
internal sealed class WriterStatements : IDisposable
{
    private readonly sqlite3 db;
    private readonly List<SqliteStatement> all = [];

    public WriterStatements(SqliteConnection connection)
    {
        db = connection.Handle ?? throw new InvalidOperationException("the writer connection is not open");
        // SQLITE_BUSY (another process holding the write lock, e.g. a test or an admin tool) waits like the
        // Microsoft.Data.Sqlite commands did with their 30 s command timeout.
        raw.sqlite3_busy_timeout(db, 30_000);

        Begin = Create("BEGIN IMMEDIATE");
        Commit = Create("COMMIT");
        Rollback = Create("ROLLBACK");

        // Always one row: the original version when the key was applied before (else null), then the
        // entity's state (nulls when it does not exist). ?1 workspace, ?2 user, ?3 key, ?4 entity.
        LookUpCommand = Create("""
            SELECT
                (SELECT version FROM idempotency
                 WHERE workspace_id = ?1 AND user_id = ?2 AND idempotency_key = ?3),
                e.version, e.payload, e.deleted
            FROM (SELECT 1)
            LEFT JOIN entities e ON e.workspace_id = ?1 AND e.entity_id = ?4
            """);
        // ?1 workspace, ?2 entity.
        FindVersion = Create("SELECT version FROM entities WHERE workspace_id = ?1 AND entity_id = ?2");
        // ?1 workspace, ?2 entity, ?3 version, ?4 payload, ?5 deleted, ?6 now.
        UpsertEntity = Create("""
            INSERT INTO entities (workspace_id, entity_id, version, payload, deleted, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (workspace_id, entity_id) DO UPDATE SET
                version = excluded.version, payload = excluded.payload,
                deleted = excluded.deleted, updated_at = excluded.updated_at
            """);
        // ?1 workspace, ?2 entity, ?3 type, ?4 version, ?5 payload, ?6 deleted, ?7 now.
        InsertChange = Create("""
            INSERT INTO changes (workspace_id, entity_id, type, version, payload, deleted, changed_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """);
        // ?1 workspace, ?2 user, ?3 key, ?4 command, ?5 entity, ?6 version, ?7 now.
        InsertIdempotency = Create("""
            INSERT INTO idempotency (workspace_id, user_id, idempotency_key, command_id, entity_id, version, applied_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """);
        // ?1 cutoff, ?2 chunk size.
        PruneIdempotencyChunk = Create("""
            DELETE FROM idempotency WHERE (workspace_id, user_id, idempotency_key) IN (
                SELECT workspace_id, user_id, idempotency_key FROM idempotency
                WHERE applied_at < ?1 LIMIT ?2)
            """);

        // The latest row of each entity of workspace ?1 with its deleted flag: with a single max() aggregate,
        // SQLite takes the bare column (deleted) from the row holding the maximum. There is no per-entity index on
        // changes (every command would pay for it), so this sorts the workspace's rows; compaction is rare.
        const string LatestRows = "SELECT MAX(seq) AS seq, deleted FROM changes WHERE workspace_id = ?1 GROUP BY entity_id";
        // ?1 workspace. One row: the highest tombstone (latest row that is a delete), null when there is none.
        FindHighestTombstone = Create($"SELECT MAX(seq) FROM ({LatestRows}) WHERE deleted = 1");
        // ?1 workspace. Keeps only the latest row of each live entity.
        DeleteCompactedChanges = Create($"""
            DELETE FROM changes
            WHERE workspace_id = ?1 AND seq NOT IN (SELECT seq FROM ({LatestRows}) WHERE deleted = 0)
            """);
        // ?1 workspace, ?2 candidate horizon. Only a higher one starts a new epoch, so the horizon never goes down.
        RaiseHorizon = Create("""
            INSERT INTO feed_horizons (workspace_id, horizon, epoch) VALUES (?1, ?2, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET horizon = excluded.horizon, epoch = epoch + 1
            WHERE excluded.horizon > horizon
            """);
        // ?1 workspace.
        FindHorizon = Create("SELECT horizon, epoch FROM feed_horizons WHERE workspace_id = ?1");
    }

    public SqliteStatement Begin { get; }

    public SqliteStatement Commit { get; }

    public SqliteStatement Rollback { get; }

    /// <summary>Idempotency record and entity state of one command.</summary>
    public SqliteStatement LookUpCommand { get; }

    public SqliteStatement FindVersion { get; }

    public SqliteStatement UpsertEntity { get; }

    public SqliteStatement InsertChange { get; }

    public SqliteStatement InsertIdempotency { get; }

    public SqliteStatement PruneIdempotencyChunk { get; }

    public SqliteStatement FindHighestTombstone { get; }

    public SqliteStatement DeleteCompactedChanges { get; }

    public SqliteStatement RaiseHorizon { get; }

    public SqliteStatement FindHorizon { get; }

    /// <summary>True while a transaction is open (SQLite is not in autocommit mode).</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(db) == 0;

    public void Dispose()
    {
        foreach (var statement in all)
        {
            statement.Dispose();
        }
    }

    private SqliteStatement Create(string sql)
    {
        var statement = new SqliteStatement(db, sql);
        all.Add(statement);
        return statement;
    }
}
