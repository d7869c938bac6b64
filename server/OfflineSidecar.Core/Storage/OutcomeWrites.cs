using System.Buffers;
using System.Text;
using System.Text.Json;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Flush;
using OperationStatus = OfflineSidecar.Core.Operations.OperationStatus;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Records a batch of delivery outcomes with a handful of set-based statements over a JSON array of rows instead of
/// five statements per operation: at batch 50 the per-row round trips into SQLite were most of a flush's store time.
/// </summary>
internal static class OutcomeWrites
{
    /// <summary>Older attempt records are dropped so an operation paused for hours does not grow without bound.</summary>
    private const int KeptAttemptRecords = 50;

    // One element per operation being recorded:
    // [seq, status, counted, next, code, message, serverVersion, finishedAt, startedAt, outcome, errorCode, errorMessage, inRow].
    // inRow = 1: the attempt delivered the operation and is kept in its row (schema version 2), not in attempts.
    // json_each hands back each element as text rendered anew every time r.value is read, so the rows are rendered
    // once into `raw` and split once into `r`; MATERIALIZED keeps the planner from inlining either back into the UPDATE.
    private const string RowsCte = """
        WITH raw AS MATERIALIZED (SELECT value AS v FROM json_each($rows)),
             r AS MATERIALIZED (SELECT v ->> 0 AS seq, v ->> 1 AS status, v ->> 2 AS counted, v ->> 3 AS next,
                                       v ->> 4 AS code, v ->> 5 AS message, v ->> 6 AS version, v ->> 7 AS finished,
                                       v ->> 8 AS started, v ->> 9 AS outcome, v ->> 10 AS attempt_code,
                                       v ->> 11 AS attempt_message, v ->> 12 AS in_row
                                FROM raw)
        """;

    private const string UpdateSql = RowsCte + "\n" + $"""
        UPDATE operations SET
            status = r.status,
            attempts = attempts + r.counted,
            next_attempt_at = r.next,
            last_error_code = r.code,
            last_error_message = r.message,
            server_version = COALESCE(r.version, server_version),
            is_head = CASE WHEN r.status = {StoredStatus.Succeeded} THEN 0 ELSE is_head END,
            updated_at = r.finished,
            delivery_started_at = CASE WHEN r.in_row = 1 THEN r.started ELSE delivery_started_at END,
            delivery_outcome = CASE WHEN r.in_row = 1 THEN r.outcome ELSE delivery_outcome END
        FROM r
        WHERE operations.seq = r.seq;
        """;

    // Error columns of the attempt come from the outcome's error even when the operation succeeded (as before).
    private const string AttemptSql = RowsCte + "\n" + """
        INSERT INTO attempts (op_seq, attempt, started_at, finished_at, outcome, error_code, error_message)
        SELECT r.seq, (SELECT COALESCE(MAX(a.attempt), 0) + 1 FROM attempts AS a WHERE a.op_seq = r.seq),
               r.started, r.finished, r.outcome, r.attempt_code, r.attempt_message
        FROM r
        WHERE r.in_row = 0
        RETURNING op_seq, attempt;
        """;

    // Same rule as EntityHeads.PromoteNext, for every entity whose head succeeded in this batch. Runs after the status
    // update, so a later operation of the same entity that also succeeded here is skipped, as sequential calls would.
    private const string PromoteSql = $"""
        WITH raw AS MATERIALIZED (SELECT value AS v FROM json_each($heads)),
             h AS MATERIALIZED (SELECT v ->> 0 AS seq, v ->> 1 AS entity FROM raw)
        UPDATE operations SET is_head = 1
        WHERE is_head = 0 AND seq IN (
            SELECT (SELECT o.seq FROM operations AS o
                    WHERE o.workspace = $w AND o.entity_id = h.entity AND o.seq > h.seq AND o.{DocumentSql.Unfinished}
                    ORDER BY o.seq LIMIT 1)
            FROM h);
        """;

    private static readonly HashSet<string> AttemptWords = new(StringComparer.Ordinal)
    {
        AttemptOutcomes.Applied, AttemptOutcomes.Duplicate, AttemptOutcomes.Conflict, AttemptOutcomes.Rejected,
        AttemptOutcomes.Retry, AttemptOutcomes.Error, AttemptOutcomes.Merged,
    };

    public static int Apply(WriteSession session, string workspace, IReadOnlyList<OperationOutcome> outcomes, long accessSeq = 0)
    {
        foreach (var outcome in outcomes)
        {
            if (!AttemptWords.Contains(outcome.AttemptOutcome))
            {
                throw OperationInputRules.Invalid($"attemptOutcome: unknown word '{outcome.AttemptOutcome}'");
            }

            OperationStateMachine.EnsureCanMove(OperationStatus.Syncing, outcome.NewStatus);
            if (outcome.Merge is not null && outcome.NewStatus != OperationStatus.Pending)
            {
                throw OperationInputRules.Invalid("merge: a merged conflict goes back to pending");
            }
        }

        var located = Locate(session, workspace, outcomes);
        // Absent or no longer syncing: deleted, or another process recovered it after this one lost its lease and
        // already recorded an outcome (or will resend it). Overwriting that state would move a settled operation.
        // A second outcome for the same id finds it no longer syncing, as the one-by-one writes did.
        var seen = new HashSet<long>();
        var rows = new List<(OperationLocator Operation, OperationOutcome Outcome)>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            if (located.TryGetValue(outcome.Id, out var operation) && operation.Status == OperationStatus.Syncing && seen.Add(operation.Seq))
            {
                rows.Add((operation, outcome));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        var rowsJson = RowsJson(rows);
        session.Sql(UpdateSql).With("$rows", rowsJson).ExecuteNonQuery();
        foreach (var moved in rows.GroupBy(row => row.Outcome.NewStatus))
        {
            StatusCounts.Move(session, workspace, OperationStatus.Syncing, moved.Key, moved.Count());
        }

        // A batch that only delivered (the drain's usual case) has no attempts row to write.
        if (rows.Exists(row => !KeptInRow(row.Outcome)))
        {
            RecordAttempts(session, rowsJson);
        }

        foreach (var (operation, outcome) in rows)
        {
            if (outcome.NewStatus == OperationStatus.Conflict)
            {
                RecordConflict(session, operation.Seq, outcome);
            }
        }

        if (HeadsJson(rows) is { } headsJson)
        {
            session.Sql(PromoteSql).With("$w", workspace).With("$heads", headsJson).ExecuteNonQuery();
        }

        foreach (var (operation, outcome) in rows)
        {
            if (outcome.Merge is { } merge)
            {
                OutcomeCacheWrites.RecordMerge(session, workspace, operation, merge);
            }
        }

        OutcomeCacheWrites.ApplySucceeded(session, workspace, rows, accessSeq);

        session.Touch(workspace);
        return rows.Count;
    }

    private static Dictionary<string, OperationLocator> Locate(WriteSession session, string workspace, IReadOnlyList<OperationOutcome> outcomes)
    {
        var ids = new ArrayBufferWriter<byte>(outcomes.Count * 32);
        using (var writer = new Utf8JsonWriter(ids))
        {
            writer.WriteStartArray();
            foreach (var outcome in outcomes)
            {
                writer.WriteStringValue(outcome.Id);
            }

            writer.WriteEndArray();
        }

        var located = new Dictionary<string, OperationLocator>(outcomes.Count, StringComparer.Ordinal);
        // CROSS JOIN fixes the loop order: left to itself the planner walks the workspace's rows and probes the id list.
        using var row = session.Sql("""
                SELECT o.id, o.seq, o.status, o.entity_id, o.is_head, o.next_attempt_at, o.expected_version, o.type, o.payload_bytes,
                       c.version, c.deleted, c.evicted, c.payload_bytes, c.generation
                FROM json_each($ids) AS j CROSS JOIN operations AS o ON o.id = j.value
                LEFT JOIN cache_entities AS c ON c.workspace = o.workspace AND c.entity_id = o.entity_id
                WHERE o.workspace = $w;
                """)
            .With("$ids", Encoding.UTF8.GetString(ids.WrittenSpan))
            .With("$w", workspace)
            .ExecuteReader();
        while (row.Read())
        {
            located[row.GetString(0)] = new OperationLocator(
                row.GetInt64(1), (OperationStatus)row.GetInt32(2), row.GetStringOrNull(3), row.GetInt64(4) == 1, row.GetInt64OrNull(5))
            {
                ExpectedVersion = row.GetInt64OrNull(6),
                Type = row.GetString(7),
                PayloadBytes = row.GetInt64(8),
                Cached = row.IsDBNull(9) ? null : new CachedRow(row.GetInt64(9), row.GetInt64(10) == 1, row.GetInt64(11) == 1, row.GetInt64(12), row.GetInt64(13)),
            };
        }

        return located;
    }

    /// <summary>The delivering attempt goes into the operation's row: succeeded is final, so it is always the last one.</summary>
    private static bool KeptInRow(OperationOutcome outcome) => outcome.NewStatus == OperationStatus.Succeeded && outcome.Error is null;

    private static void RecordAttempts(WriteSession session, string rowsJson)
    {
        List<(long Seq, long Attempt)>? over = null;
        using (var inserted = session.Sql(AttemptSql).With("$rows", rowsJson).ExecuteReader())
        {
            while (inserted.Read())
            {
                if (inserted.GetInt64(1) > KeptAttemptRecords)
                {
                    (over ??= []).Add((inserted.GetInt64(0), inserted.GetInt64(1)));
                }
            }
        }

        // Rare (an operation retried more than KeptAttemptRecords times), so one statement per such row is fine.
        foreach (var (seq, attempt) in over ?? [])
        {
            session.Sql("DELETE FROM attempts WHERE op_seq = $s AND attempt <= $last;")
                .With("$s", seq)
                .With("$last", attempt - KeptAttemptRecords)
                .ExecuteNonQuery();
        }
    }

    private static string RowsJson(List<(OperationLocator Operation, OperationOutcome Outcome)> rows)
    {
        var text = new ArrayBufferWriter<byte>(rows.Count * 128);
        using (var writer = new Utf8JsonWriter(text))
        {
            writer.WriteStartArray();
            foreach (var (operation, outcome) in rows)
            {
                var succeeded = outcome.NewStatus == OperationStatus.Succeeded;
                writer.WriteStartArray();
                writer.WriteNumberValue(operation.Seq);
                writer.WriteNumberValue((int)outcome.NewStatus);
                writer.WriteNumberValue(outcome.CountsAsAttempt ? 1 : 0);
                WriteNullable(writer, outcome.NewStatus == OperationStatus.Pending ? UnixMilliseconds.From(outcome.NextAttemptAt) : null);
                WriteNullable(writer, succeeded ? null : outcome.Error?.Code);
                WriteNullable(writer, succeeded ? null : outcome.Error?.Message);
                WriteNullable(writer, outcome.ServerVersion ?? outcome.Conflict?.ServerVersion);
                writer.WriteNumberValue(UnixMilliseconds.From(outcome.FinishedAt));
                writer.WriteNumberValue(UnixMilliseconds.From(outcome.StartedAt));
                writer.WriteStringValue(outcome.AttemptOutcome);
                WriteNullable(writer, outcome.Error?.Code);
                WriteNullable(writer, outcome.Error?.Message);
                writer.WriteNumberValue(KeptInRow(outcome) ? 1 : 0);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(text.WrittenSpan);
    }

    private static string? HeadsJson(List<(OperationLocator Operation, OperationOutcome Outcome)> rows)
    {
        ArrayBufferWriter<byte>? text = null;
        Utf8JsonWriter? writer = null;
        try
        {
            foreach (var (operation, outcome) in rows)
            {
                if (outcome.NewStatus != OperationStatus.Succeeded || !operation.IsHead || operation.EntityId is not { } entityId)
                {
                    continue;
                }

                if (writer is null)
                {
                    text = new ArrayBufferWriter<byte>(rows.Count * 48);
                    writer = new Utf8JsonWriter(text);
                    writer.WriteStartArray();
                }

                writer.WriteStartArray();
                writer.WriteNumberValue(operation.Seq);
                writer.WriteStringValue(entityId);
                writer.WriteEndArray();
            }

            if (writer is null)
            {
                return null;
            }

            writer.WriteEndArray();
            writer.Flush();
            return Encoding.UTF8.GetString(text!.WrittenSpan);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static void RecordConflict(WriteSession session, long seq, OperationOutcome outcome)
    {
        var snapshot = outcome.Conflict
            ?? (outcome.ServerVersion is { } version ? new ConflictSnapshot(version, null, outcome.FinishedAt) : null);
        if (snapshot is null)
        {
            return;
        }

        session.Sql("""
                INSERT INTO conflicts (op_seq, server_version, detected_at, server_payload) VALUES ($s, $v, $at, $p)
                ON CONFLICT (op_seq) DO UPDATE SET
                    server_version = excluded.server_version, detected_at = excluded.detected_at, server_payload = excluded.server_payload;
                """)
            .With("$s", seq)
            .With("$v", snapshot.ServerVersion)
            .With("$at", UnixMilliseconds.From(snapshot.DetectedAt))
            .With("$p", snapshot.ServerPayloadJson)
            .ExecuteNonQuery();
    }
}
