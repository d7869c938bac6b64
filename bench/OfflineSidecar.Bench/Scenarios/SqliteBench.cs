using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// What SQLite itself does on this disk, as a yardstick for the sidecar: one prepared INSERT reused, WAL,
/// synchronous=FULL; first all rows in one transaction, then one commit (one fsync) per row, then commits of 8 rows.
/// </summary>
internal static class SqliteBench
{
    /// <summary>The enqueue target's callers: 8 closed-loop callers can put at most 8 rows in one commit.</summary>
    private const int GroupSize = 8;

    private const string BareTable = """
        CREATE TABLE operations (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, workspace TEXT NOT NULL, type TEXT NOT NULL,
            entity_id TEXT, idempotency_key TEXT NOT NULL, dedup_key TEXT, expected_version INTEGER,
            priority INTEGER NOT NULL, status INTEGER NOT NULL, is_head INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER, last_error_code TEXT, last_error_message TEXT, server_version INTEGER,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, payload_bytes INTEGER NOT NULL, payload TEXT NOT NULL);
        """;

    private const string Insert = """
        INSERT INTO operations (id, workspace, type, entity_id, idempotency_key, priority, status, is_head, created_at, updated_at, payload_bytes, payload)
        VALUES ($id, 'bench', 'document.put.v1', $entity, $id, 1, 0, 1, $now, $now, $bytes, $payload);
        """;

    public static void Run(ResultSink sink, int rows, int commitRows)
    {
        ArgumentNullException.ThrowIfNull(sink);
        StoreConnections.EnsureNativeLibrary();
        sink.Add("rows in one transaction, bare table (PK + UNIQUE id)", OneTransaction(rows, sidecarSchema: false, "FULL"), "rows/s", note: $"N={rows}");
        sink.Add("rows in one transaction, sidecar schema (5 indexes + count trigger)", OneTransaction(rows, sidecarSchema: true, "FULL"), "rows/s", note: $"N={rows}");
        var (rate, latency) = CommitPerRow(commitRows, "FULL");
        sink.Add("one commit per row, synchronous=FULL", rate, "rows/s", note: $"N={commitRows}");
        sink.Add("one commit per row, synchronous=FULL: commit p50", latency.PercentileMs(50), "ms");
        sink.Add("one commit per row, synchronous=FULL: commit p99", latency.PercentileMs(99), "ms");
        var (normalRate, normalLatency) = CommitPerRow(commitRows * 5, "NORMAL");
        sink.Add("one commit per row, synchronous=NORMAL", normalRate, "rows/s", note: $"N={commitRows * 5}");
        sink.Add("one commit per row, synchronous=NORMAL: commit p50", normalLatency.PercentileMs(50), "ms");
        foreach (var synchronous in new[] { "FULL", "NORMAL" })
        {
            foreach (var wal in Enum.GetValues<SqliteWalHandling>())
            {
                var label = $"{GroupSize} rows per commit, back to back, synchronous={synchronous}, " + wal switch
                {
                    SqliteWalHandling.AutoCheckpoint => "SQLite's own checkpoints",
                    SqliteWalHandling.Grows => "no checkpoint (the WAL only grows)",
                    _ => "no checkpoint, WAL file grown beforehand (overwritten in place)",
                };
                var (groupRate, commit) = GroupCommits(commitRows * 10, synchronous, wal);
                sink.Add(label, groupRate, "rows/s", note: $"N={commitRows * 10}");
                sink.Add($"{label}: commit mean", commit.TotalMicroseconds, "µs");
            }
        }

        sink.Note($"{GroupSize} rows per commit: the most 8 callers that each wait for their own commit could reach. One thread commits "
            + $"{GroupSize} rows at a time back to back, with no JSON-RPC and no process boundary: one prepared INSERT, the sidecar's schema, "
            + "entityId over 1,000 entities.");
        sink.Note("Microsoft.Data.Sqlite in the bench process, database in BENCH_TMP (same disk as the repo), WAL, one prepared INSERT reused.");
    }

    private static double OneTransaction(int rows, bool sidecarSchema, string synchronous)
    {
        using var dir = new TempDirectory("sqlite");
        using var connection = Open(Path.Combine(dir.Path, "raw.db"), synchronous, sidecarSchema);
        var started = Stopwatch.GetTimestamp();
        using (var transaction = connection.BeginTransaction())
        {
            using var command = Prepare(connection, transaction, out var id, out var entity, out var now, out var bytes, out var payload);
            for (var i = 0; i < rows; i++)
            {
                Bind(i, id, entity, now, bytes, payload);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return rows / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static (double Rate, LatencySamples Latency) CommitPerRow(int rows, string synchronous)
    {
        using var dir = new TempDirectory("sqlite");
        using var connection = Open(Path.Combine(dir.Path, "raw.db"), synchronous, sidecarSchema: true);
        using var command = Prepare(connection, null, out var id, out var entity, out var now, out var bytes, out var payload);
        var latency = new LatencySamples(rows);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < rows; i++)
        {
            var one = Stopwatch.GetTimestamp();
            Bind(i, id, entity, now, bytes, payload);
            command.ExecuteNonQuery(); // autocommit: one transaction, one WAL fsync per row
            latency.Add(Stopwatch.GetTimestamp() - one);
        }

        return (rows / Stopwatch.GetElapsedTime(started).TotalSeconds, latency);
    }

    /// <summary>BEGIN, <see cref="GroupSize"/> inserts, COMMIT, again: returns rows/s and the mean COMMIT time.</summary>
    private static (double Rate, TimeSpan Commit) GroupCommits(int rows, string synchronous, SqliteWalHandling wal)
    {
        using var dir = new TempDirectory("sqlite");
        using var connection = Open(Path.Combine(dir.Path, "raw.db"), synchronous, sidecarSchema: true);
        Exec(connection, wal == SqliteWalHandling.AutoCheckpoint ? "PRAGMA wal_autocheckpoint = 1000;" : "PRAGMA wal_autocheckpoint = 0;");
        if (wal == SqliteWalHandling.Pregrown)
        {
            // Frames for every commit of the run (~12 pages each) and more, then a checkpoint that starts the WAL
            // over: the commits below overwrite the file instead of extending it, the cheapest fsync SQLite can get.
            var pages = (rows / GroupSize + 1) * 16;
            Exec(connection, $"CREATE TABLE scratch (b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {pages}) INSERT INTO scratch SELECT zeroblob(3500) FROM n;");
            Exec(connection, "DROP TABLE scratch;");
            Exec(connection, "PRAGMA wal_checkpoint(RESTART);");
        }

        using var command = Prepare(connection, null, out var id, out var entity, out var now, out var bytes, out var payload);
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN;";
        using var commit = connection.CreateCommand();
        commit.CommandText = "COMMIT;";
        long committing = 0;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < rows;)
        {
            begin.ExecuteNonQuery();
            for (var end = Math.Min(rows, i + GroupSize); i < end; i++)
            {
                Bind(i, id, entity, now, bytes, payload);
                command.ExecuteNonQuery();
            }

            var before = Stopwatch.GetTimestamp();
            commit.ExecuteNonQuery();
            committing += Stopwatch.GetTimestamp() - before;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var commits = (rows + GroupSize - 1) / GroupSize;
        return (rows / elapsed.TotalSeconds, TimeSpan.FromSeconds((double)committing / Stopwatch.Frequency / commits));
    }

    private static SqliteConnection Open(string path, string synchronous, bool sidecarSchema)
    {
        if (sidecarSchema)
        {
            // The sidecar's own schema and pragmas, through its own code path.
            using var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, TimeProvider.System);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Exec(connection, "PRAGMA journal_mode = WAL;");
        Exec(connection, $"PRAGMA synchronous = {synchronous};");
        Exec(connection, "PRAGMA temp_store = MEMORY;");
        if (!sidecarSchema)
        {
            Exec(connection, BareTable);
        }

        return connection;
    }

    private static SqliteCommand Prepare(
        SqliteConnection connection, SqliteTransaction? transaction,
        out SqliteParameter id, out SqliteParameter entity, out SqliteParameter now, out SqliteParameter bytes, out SqliteParameter payload)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Insert;
        id = command.Parameters.Add("$id", SqliteType.Text);
        entity = command.Parameters.Add("$entity", SqliteType.Text);
        now = command.Parameters.Add("$now", SqliteType.Integer);
        bytes = command.Parameters.Add("$bytes", SqliteType.Integer);
        payload = command.Parameters.Add("$payload", SqliteType.Text);
        command.Prepare();
        return command;
    }

    private static void Bind(int i, SqliteParameter id, SqliteParameter entity, SqliteParameter now, SqliteParameter bytes, SqliteParameter payload)
    {
        var json = Payloads.Json(i);
        id.Value = Ulid(i);
        entity.Value = Payloads.EntityId(i, 1000);
        now.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        bytes.Value = json.Length;
        payload.Value = json;
    }

    private static string Ulid(int i) => $"01JBENCH{i:D18}";

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
