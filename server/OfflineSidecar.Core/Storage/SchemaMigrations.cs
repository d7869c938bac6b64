using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Ordered schema steps; each runs once, recorded in schema_version, inside one IMMEDIATE transaction so
/// two processes opening a new file at the same time do not both apply it.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>
    /// Notes on version 1:
    /// - seq is AUTOINCREMENT so a deleted tail row's number is never reused: cursors and per-entity order stay exact.
    /// - is_head marks the earliest unfinished operation of its entity (no-entity operations are always heads);
    ///   the partial claim index then holds exactly the deliverable rows, so claiming stays cheap at millions of rows.
    /// - payload is the last column so list queries never touch its (overflow) pages.
    /// - queue_counts is kept by triggers in the same transaction as the row change, so counts never drift and never need a scan.
    ///   This process's writer runs with these stored triggers off (WriterTriggers mirrors the insert and delete ones as
    ///   TEMP triggers, StatusCounts does the status one per statement): a step that changes how counting works changes both.
    /// Notes on version 2:
    /// - The attempt that delivered a succeeded operation lives in its own row (delivery_started_at, delivery_outcome)
    ///   instead of an attempts row: one INSERT fewer per drained operation, the single writer's largest statement
    ///   (~15 % of its time per operation, measured). Succeeded is final, so that attempt finished at updated_at, and its
    ///   number is one past the operation's last attempts row. Appended after payload (ALTER TABLE cannot place them
    ///   earlier): only the details view reads them, and it reads the payload too.
    /// - A sidecar that knows only version 1 refuses the file (see Apply), so none can miss these attempts.
    /// Notes on version 3 (the op cache: what the server holds, kept apart from what the user did):
    /// - cache_entities holds only what the server said (pull pages, fetches, and the answers to our own operations);
    ///   reads overlay the unfinished operations of the same entity on it (CacheReads). A delete is kept as a tombstone
    ///   row (deleted = 1) while an operation of its entity is unfinished, so a late answer cannot bring back an older
    ///   version; after that it is purged. An evicted row keeps its id, version and sizes (a stub) with payload NULL.
    ///   payload_bytes is what the row costs (the eviction budget); size is what the editor sees (a document's text).
    ///   changed_at is the row's content stamp (never decreases for an entity): the editor's mtime.
    ///   access_seq is a logical read counter (not a clock): eviction takes the least recently read first.
    ///   generation is the pull generation that last saw the row: after a full refetch, older ones are gone on the server.
    /// - cache_totals is kept by the writer's statements in the same transaction as the rows (no triggers: only this
    ///   code writes these tables), so getStatus never scans.
    /// - pull_state holds the feed cursor of a workspace, committed with each page's rows: a pull resumes from the last
    ///   committed page. last_pulled_at is written only when a pull read the feed to its end. cache_stamp moves with
    ///   every transaction that changes the cache, so other processes can tell. server is the sync server the cache was
    ///   pulled from: another one means a full refetch.
    /// - cache_bases keeps the server content an unfinished operation was written on, once a newer server version
    ///   replaced it in cache_entities: the base of a three-way merge.
    /// - cache_open: documents open in an editor, per sidecar (owner), never evicted.
    /// - operations.content_at: when the payload last changed (insert leaves it NULL = created_at; coalescing, edits and
    ///   merges set it), the mtime of a document the user changed locally. updated_at also moves on every status change.
    /// Notes on version 4 (accounts: one account's work never reaches another's view or server):
    /// - The workspace column of the queue and cache tables now holds a partition name: one per (workspace, server,
    ///   account). partitions says whose each is; account is what the server's /sync/whoami said, NULL until then.
    /// - partition_tokens maps a credential fingerprint (SHA-256 of workspace, server and token, never the token) to the partition
    ///   it opens, so the right one is found offline. Several tokens of one account map to one partition.
    /// - Rows written before this version become partitions named by their workspace, with no account and no token: the
    ///   first credentials that open that workspace claim them (the work was done on this machine before accounts).
    /// Notes on version 5 (operations that go stale, and support traces):
    /// - operations.expires_at: an absolute time (ms) computed at enqueue from expiresAt or ttlSeconds with the store's
    ///   clock. The worker fails an operation it would send after that (code expired) instead of sending it. A retry of an
    ///   expired operation clears it. NULL = never expires. Appended after the delivery columns (ALTER TABLE).
    /// - operations.client_trace_id: the caller's id, sent with the command and written in every log line about it.
    /// Notes on version 6 (attachments):
    /// - operation_attachments holds the references an operation carries (user intent, like the operation itself); the
    ///   bytes live outside SQLite in attachments/&lt;sha256&gt; beside the database (BlobStore), shared by every
    ///   operation with the same content. A blob is needed while an operation that is not succeeded references it; rows
    ///   of succeeded operations stay for the history (and go with them when pruned) after their blob was swept.
    /// Notes on version 7 (clocks that lie):
    /// - server_clock keeps the latest estimate of how far the partition's server clock is from this machine's
    ///   (offset_ms = server − local), so it is known offline after a restart.
    /// - operations.server_created_at is created_at + that offset, filled in the enqueue's own INSERT (NULL while never
    ///   estimated): what the server's clock said when the user acted. Shown only; ordering is seq (enqueue order),
    ///   never either clock. Appended after payload, like version 2's columns.
    /// </summary>
    private static readonly (int Version, string Sql)[] Steps =
    [
        // Stored numbers are spelled through StoredStatus/StoredPriority: the same text a fresh database always got.
        (1, $"""
            CREATE TABLE operations (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                workspace TEXT NOT NULL,
                type TEXT NOT NULL,
                entity_id TEXT,
                idempotency_key TEXT NOT NULL,
                dedup_key TEXT,
                expected_version INTEGER,
                priority INTEGER NOT NULL CHECK (priority BETWEEN {StoredPriority.High} AND {StoredPriority.Low}),
                status INTEGER NOT NULL CHECK (status BETWEEN {StoredStatus.Pending} AND {StoredStatus.Conflict}),
                is_head INTEGER NOT NULL CHECK (is_head IN (0, 1)),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER,
                last_error_code TEXT,
                last_error_message TEXT,
                server_version INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                payload_bytes INTEGER NOT NULL,
                payload TEXT NOT NULL
            );
            CREATE INDEX ix_operations_status_order ON operations (workspace, status, priority, seq);
            CREATE INDEX ix_operations_claim ON operations (workspace, priority, seq, next_attempt_at)
                WHERE status = {StoredStatus.Pending} AND is_head = 1;
            CREATE INDEX ix_operations_backoff ON operations (workspace, next_attempt_at)
                WHERE status = {StoredStatus.Pending} AND is_head = 1 AND next_attempt_at IS NOT NULL;
            CREATE INDEX ix_operations_entity ON operations (workspace, entity_id, seq) WHERE entity_id IS NOT NULL;
            CREATE INDEX ix_operations_dedup ON operations (workspace, dedup_key, seq) WHERE dedup_key IS NOT NULL;

            CREATE TABLE attempts (
                op_seq INTEGER NOT NULL REFERENCES operations (seq) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                finished_at INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                error_code TEXT,
                error_message TEXT,
                PRIMARY KEY (op_seq, attempt)
            ) WITHOUT ROWID;

            CREATE TABLE conflicts (
                op_seq INTEGER PRIMARY KEY REFERENCES operations (seq) ON DELETE CASCADE,
                server_version INTEGER NOT NULL,
                detected_at INTEGER NOT NULL,
                server_payload TEXT
            );

            CREATE TABLE queue_counts (
                workspace TEXT NOT NULL,
                status INTEGER NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (workspace, status)
            ) WITHOUT ROWID;

            CREATE TABLE leases (
                workspace TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TRIGGER operations_count_insert AFTER INSERT ON operations BEGIN
                INSERT INTO queue_counts (workspace, status, count) VALUES (NEW.workspace, NEW.status, 1)
                    ON CONFLICT (workspace, status) DO UPDATE SET count = count + 1;
            END;
            CREATE TRIGGER operations_count_delete AFTER DELETE ON operations BEGIN
                UPDATE queue_counts SET count = count - 1 WHERE workspace = OLD.workspace AND status = OLD.status;
            END;
            CREATE TRIGGER operations_count_status AFTER UPDATE OF status ON operations WHEN OLD.status <> NEW.status BEGIN
                UPDATE queue_counts SET count = count - 1 WHERE workspace = OLD.workspace AND status = OLD.status;
                INSERT INTO queue_counts (workspace, status, count) VALUES (NEW.workspace, NEW.status, 1)
                    ON CONFLICT (workspace, status) DO UPDATE SET count = count + 1;
            END;
            """),
        (2, """
            ALTER TABLE operations ADD COLUMN delivery_started_at INTEGER;
            ALTER TABLE operations ADD COLUMN delivery_outcome TEXT;
            """),
        (3, """
            ALTER TABLE operations ADD COLUMN content_at INTEGER;

            CREATE TABLE cache_entities (
                workspace TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                type TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 0),
                deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
                evicted INTEGER NOT NULL DEFAULT 0 CHECK (evicted IN (0, 1)),
                pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
                size INTEGER NOT NULL,
                payload_bytes INTEGER NOT NULL,
                fetched_at INTEGER NOT NULL,
                changed_at INTEGER NOT NULL,
                access_seq INTEGER NOT NULL,
                generation INTEGER NOT NULL,
                payload TEXT,
                PRIMARY KEY (workspace, entity_id)
            );
            CREATE INDEX ix_cache_eviction ON cache_entities (workspace, access_seq) WHERE evicted = 0 AND pinned = 0 AND deleted = 0;
            CREATE INDEX ix_cache_tombstones ON cache_entities (workspace) WHERE deleted = 1;

            CREATE TABLE cache_totals (
                workspace TEXT PRIMARY KEY,
                entities INTEGER NOT NULL,
                bytes INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE pull_state (
                workspace TEXT PRIMARY KEY,
                cursor TEXT,
                generation INTEGER NOT NULL DEFAULT 1,
                refetching INTEGER NOT NULL DEFAULT 0 CHECK (refetching IN (0, 1)),
                last_pulled_at INTEGER,
                server TEXT,
                cache_stamp INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;

            CREATE TABLE cache_bases (
                workspace TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                payload TEXT NOT NULL,
                UNIQUE (workspace, entity_id, version)
            );

            CREATE TABLE cache_open (
                workspace TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                owner TEXT NOT NULL,
                PRIMARY KEY (workspace, entity_id, owner)
            ) WITHOUT ROWID;
            """),
        (4, """
            CREATE TABLE partitions (
                name TEXT PRIMARY KEY,
                workspace TEXT NOT NULL,
                server TEXT NOT NULL,
                account TEXT,
                used_at INTEGER
            ) WITHOUT ROWID;
            CREATE INDEX ix_partitions_owner ON partitions (workspace, server, account);

            CREATE TABLE partition_tokens (
                fingerprint TEXT PRIMARY KEY,
                name TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX ix_partition_tokens_name ON partition_tokens (name);

            INSERT INTO partitions (name, workspace, server, account, used_at)
            SELECT w.workspace, w.workspace, COALESCE((SELECT p.server FROM pull_state p WHERE p.workspace = w.workspace), ''), NULL, NULL
            FROM (SELECT DISTINCT workspace FROM operations
                  UNION SELECT workspace FROM pull_state
                  UNION SELECT DISTINCT workspace FROM cache_entities) w;
            """),
        (5, """
            ALTER TABLE operations ADD COLUMN expires_at INTEGER;
            ALTER TABLE operations ADD COLUMN client_trace_id TEXT;
            """),
        (6, """
            CREATE TABLE operation_attachments (
                op_seq INTEGER NOT NULL REFERENCES operations (seq) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                name TEXT NOT NULL,
                media_type TEXT,
                size INTEGER NOT NULL CHECK (size >= 0),
                PRIMARY KEY (op_seq, position)
            ) WITHOUT ROWID;
            CREATE INDEX ix_operation_attachments_blob ON operation_attachments (sha256);
            """),
        (7, """
            CREATE TABLE server_clock (
                workspace TEXT PRIMARY KEY,
                offset_ms INTEGER NOT NULL,
                round_trip_ms INTEGER NOT NULL,
                measured_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            ALTER TABLE operations ADD COLUMN server_created_at INTEGER;
            """),
    ];

    public static int LatestVersion => Steps[^1].Version;

    /// <summary>Brings the schema up to date (tests: up to <paramref name="upTo"/>, to build an older file); returns the version in use.</summary>
    public static int Apply(SqliteConnection connection, int? upTo = null)
    {
        var target = upTo ?? LatestVersion;
        StoreConnections.Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            StoreConnections.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
            var current = CurrentVersion(connection);
            if (current > LatestVersion)
            {
                throw new QueueException(
                    QueueErrorKind.StorageFailure,
                    $"storage failure: the database uses schema version {current}, newer than this sidecar understands ({LatestVersion})");
            }

            foreach (var (version, sql) in Steps)
            {
                if (version <= current || version > target)
                {
                    continue;
                }

                StoreConnections.Execute(connection, sql);
                using var record = connection.CreateCommand();
                record.CommandText = "INSERT INTO schema_version (version) VALUES ($v);";
                record.Parameters.AddWithValue("$v", version);
                record.ExecuteNonQuery();
            }

            StoreConnections.Execute(connection, "COMMIT;");
            return Math.Max(current, target);
        }
        catch
        {
            StoreConnections.RollbackIfActive(connection);
            throw;
        }
    }

    internal static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_version;";
        return command.ExecuteScalar() is long version ? (int)version : 0;
    }
}
