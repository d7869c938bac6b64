namespace OfflineSync.Server.Storage;

internal static class SchemaSql
{
    /// <summary>2 added <c>feed_horizons</c>. A version-1 database is upgraded in place by <see cref="Create"/>;
    /// the bump makes an older server refuse a compacted database instead of serving its feed without the 410
    /// for cursors below a horizon it does not know about.</summary>
    /// 3 added <c>blobs</c> (attachment contents, per workspace, named by their SHA-256).
    public const int Version = 3;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS entities (
            workspace_id TEXT NOT NULL,
            entity_id    TEXT NOT NULL,
            version      INTEGER NOT NULL,
            payload      TEXT,
            deleted      INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, entity_id)
        ) WITHOUT ROWID;

        -- AUTOINCREMENT so that a sequence number is never reused: it is the changes-feed cursor.
        CREATE TABLE IF NOT EXISTS changes (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            workspace_id TEXT NOT NULL,
            entity_id    TEXT NOT NULL,
            type         TEXT NOT NULL,
            version      INTEGER NOT NULL,
            payload      TEXT,
            deleted      INTEGER NOT NULL,
            changed_at   INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS changes_by_workspace ON changes (workspace_id, seq);

        CREATE TABLE IF NOT EXISTS idempotency (
            workspace_id    TEXT NOT NULL,
            user_id         TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            command_id      TEXT NOT NULL,
            entity_id       TEXT NOT NULL,
            version         INTEGER NOT NULL,
            applied_at      INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, user_id, idempotency_key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency (applied_at);

        -- Written by compaction: horizon is the highest delete it purged, epoch how many compactions raised it.
        CREATE TABLE IF NOT EXISTS feed_horizons (
            workspace_id TEXT PRIMARY KEY,
            horizon      INTEGER NOT NULL,
            epoch        INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- Attachment contents, deduplicated by hash within a workspace; a rowid table, as rows are large.
        CREATE TABLE IF NOT EXISTS blobs (
            workspace_id TEXT NOT NULL,
            sha256       TEXT NOT NULL,
            size         INTEGER NOT NULL,
            content      BLOB NOT NULL,
            stored_at    INTEGER NOT NULL,
            UNIQUE (workspace_id, sha256)
        );
        """;
}
