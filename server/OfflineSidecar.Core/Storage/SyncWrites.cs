using System.Globalization;
using System.Text;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Attachments;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Core.Storage;

/// <summary>The sync worker's mutations, each run as (part of) one writer transaction.</summary>
internal static class SyncWrites
{
    public static int RecoverInterrupted(WriteSession session, string workspace)
    {
        var count = session.Sql(
                "UPDATE operations SET status = " + StoredStatus.Pending + ", updated_at = $now WHERE workspace = $w AND status = " + StoredStatus.Syncing + ";")
            .With("$now", session.NowMilliseconds)
            .With("$w", workspace)
            .ExecuteNonQuery();
        StatusCounts.Move(session, workspace, OperationStatus.Syncing, OperationStatus.Pending, count);
        if (count > 0)
        {
            session.Touch(workspace);
        }

        return count;
    }

    public static List<Operation> ClaimEligible(WriteSession session, string workspace, int max, DateTimeOffset now)
    {
        var nowMs = UnixMilliseconds.From(now);
        // The partial claim index holds exactly the deliverable rows in delivery order. Named explicitly: left to
        // itself the planner may walk every pending row and test is_head on each, slow when heads are few.
        // Read, then mark: an UPDATE … RETURNING of the same rows first copies every returned row (payload included)
        // into a temporary table, and the single writer paid for that copy on every claimed operation.
        var rows = OperationRows.ReadAll(
            session.Sql($"""
                    SELECT {OperationRows.ColumnsWithPayload} FROM operations INDEXED BY ix_operations_claim
                    WHERE workspace = $w AND status = {StoredStatus.Pending} AND is_head = 1
                      AND (next_attempt_at IS NULL OR next_attempt_at <= $now)
                    ORDER BY priority, seq LIMIT $max;
                    """)
                .With("$now", nowMs)
                .With("$w", workspace)
                .With("$max", max),
            withPayload: true);
        if (rows.Count == 0)
        {
            return rows;
        }

        var seqs = new StringBuilder("[");
        foreach (var row in rows)
        {
            seqs.Append(seqs.Length == 1 ? "" : ",").Append(row.Sequence.ToString(CultureInfo.InvariantCulture));
        }

        // Only seq in the WHERE: any other term lets the planner walk an index of the workspace instead of looking
        // each row up by rowid. The rows were read as pending in this transaction, so they are still exactly as read:
        // that read's WHERE is what makes this a legal pending → syncing move.
        var marked = session.Sql("UPDATE operations SET status = " + StoredStatus.Syncing + ", updated_at = $now WHERE seq IN (SELECT value FROM json_each($seqs));")
            .With("$now", nowMs)
            .With("$seqs", seqs.Append(']').ToString())
            .ExecuteNonQuery();
        StatusCounts.Move(session, workspace, OperationStatus.Pending, OperationStatus.Syncing, marked);
        var claimedAt = UnixMilliseconds.To(nowMs);
        var claimed = new List<Operation>(rows.Count);
        foreach (var row in rows)
        {
            claimed.Add(row with { Status = OperationStatus.Syncing, UpdatedAt = claimedAt });
        }

        session.Touch(workspace);
        return AttachmentRows.AttachTo(session.Statements, claimed);
    }

    public static int ReleaseUnsent(WriteSession session, string workspace, IReadOnlyList<Operation> operations)
    {
        var rows = new StringBuilder("[");
        foreach (var operation in operations)
        {
            rows.Append(rows.Length == 1 ? "[" : ",[")
                .Append(operation.Sequence.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(UnixMilliseconds.From(operation.UpdatedAt).ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        // Never sent, so no attempt is counted and only the status changes. updated_at still being the claim's own
        // stamp fences off a row that another flusher recovered and claimed again after this one lost its lease.
        var count = session.Sql($"""
                UPDATE operations SET status = {StoredStatus.Pending}, updated_at = $now
                FROM json_each($rows) AS r
                WHERE operations.seq = json_extract(r.value, '$[0]') AND operations.workspace = $w
                  AND operations.status = {StoredStatus.Syncing} AND operations.updated_at = json_extract(r.value, '$[1]');
                """)
            .With("$now", session.NowMilliseconds)
            .With("$w", workspace)
            .With("$rows", rows.Append(']').ToString())
            .ExecuteNonQuery();
        StatusCounts.Move(session, workspace, OperationStatus.Syncing, OperationStatus.Pending, count);
        if (count > 0)
        {
            session.Touch(workspace);
        }

        return count;
    }

    public static int ApplyOutcomes(WriteSession session, string workspace, IReadOnlyList<OperationOutcome> outcomes, long accessSeq)
    {
        var applied = OutcomeWrites.Apply(session, workspace, outcomes, accessSeq);
        List<string>? succeeded = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.NewStatus == OperationStatus.Succeeded)
            {
                (succeeded ??= []).Add(outcome.Id);
            }
        }

        if (succeeded is not null)
        {
            AttachmentRows.ReleaseSucceeded(session, succeeded);
        }

        return applied;
    }

    public static int PruneSucceeded(WriteSession session, string workspace, DateTimeOffset olderThan)
    {
        // Succeeded operations are never heads, so no entity needs a new lead.
        var count = session.Sql("DELETE FROM operations WHERE workspace = $w AND status = " + StoredStatus.Succeeded + " AND updated_at < $t;")
            .With("$w", workspace)
            .With("$t", UnixMilliseconds.From(olderThan))
            .ExecuteNonQuery();
        if (count > 0)
        {
            session.Touch(workspace);
        }

        return count;
    }

    public static Operation? ResolveConflict(
        WriteSession session, string workspace, string id, ConflictResolution resolution, string? mergedPayloadJson, int mergedPayloadBytes)
    {
        var operation = OperationLocator.Require(session, workspace, id);
        if (operation.Status != OperationStatus.Conflict)
        {
            throw new QueueException(
                QueueErrorKind.InvalidState, $"operation {id} is {OperationWords.Of(operation.Status)}, not in conflict");
        }

        if (resolution == ConflictResolution.TakeServer)
        {
            if (operation.EntityId is { } entity)
            {
                CacheServerSnapshot(session, workspace, operation.Seq, entity);
            }

            OperationDeletes.Delete(session, workspace, operation);
            return null;
        }

        var merge = resolution == ConflictResolution.Merge;
        var basedOn = session.Sql("SELECT expected_version FROM operations WHERE seq = $s;").With("$s", operation.Seq).ScalarInt64();
        // Sending again against the version the server reported is what makes the second try able to win.
        var updated = OperationRows.ReadSingle(
            session.Sql($"""
                    UPDATE operations SET
                        status = {StoredStatus.Pending}, attempts = 0, next_attempt_at = NULL, last_error_code = NULL, last_error_message = NULL,
                        expected_version = COALESCE((SELECT server_version FROM conflicts WHERE op_seq = $s), expected_version),
                        payload = CASE WHEN $merge THEN $p ELSE payload END,
                        payload_bytes = CASE WHEN $merge THEN $b ELSE payload_bytes END,
                        content_at = CASE WHEN $merge THEN $now ELSE content_at END,
                        updated_at = $now
                    WHERE seq = $s
                    RETURNING {OperationRows.ColumnsWithPayload};
                    """)
                .With("$s", operation.Seq)
                .With("$merge", merge ? 1 : 0)
                .With("$p", mergedPayloadJson)
                .With("$b", mergedPayloadBytes)
                .With("$now", session.NowMilliseconds),
            withPayload: true)!;
        StatusCounts.Move(session, workspace, OperationStatus.Conflict, OperationStatus.Pending, 1);
        if (operation.EntityId is { } entityId && updated.ExpectedVersion is { } serverVersion)
        {
            KeepSendingOnServerVersion(session, workspace, operation.Seq, entityId, basedOn, serverVersion);
        }

        session.Sql("DELETE FROM conflicts WHERE op_seq = $s;").With("$s", operation.Seq).ExecuteNonQuery();
        session.Touch(workspace);
        return updated;
    }

    /// <summary>
    /// Taking the server's side shows the server's content at once: the conflict's snapshot is what the server said, so it
    /// goes into the cache (when newer than what is cached) before the operation that hid it is deleted.
    /// </summary>
    private static void CacheServerSnapshot(WriteSession session, string workspace, long seq, string entityId)
    {
        long version;
        string? payload;
        using (var row = session.Sql("SELECT server_version, server_payload FROM conflicts WHERE op_seq = $s;").With("$s", seq).ExecuteReader())
        {
            if (!row.Read() || row.GetInt64(0) == 0)
            {
                return;
            }

            version = row.GetInt64(0);
            payload = row.GetStringOrNull(1);
        }

        var deleted = payload is null;
        PullWrites.StoreFetched(
            session, workspace, new ChangeRecord(entityId, deleted ? DocumentTypes.Delete : DocumentTypes.Put, version, payload, deleted), accessSeq: 0);
    }

    /// <summary>
    /// The operation is now sent on the server's version: operations written on top of it move with it, and the server's
    /// content of that version stays as the merge base should it conflict again.
    /// </summary>
    private static void KeepSendingOnServerVersion(WriteSession session, string workspace, long seq, string entityId, long? basedOn, long serverVersion)
    {
        if (basedOn is { } old && old != serverVersion)
        {
            session.Sql($"""
                    UPDATE operations SET expected_version = $new
                    WHERE workspace = $w AND entity_id = $e AND seq > $s AND {DocumentSql.Unfinished} AND expected_version = $old;
                    """)
                .With("$new", serverVersion)
                .With("$w", workspace)
                .With("$e", entityId)
                .With("$s", seq)
                .With("$old", old)
                .ExecuteNonQuery();
        }

        session.Sql("""
                INSERT OR IGNORE INTO cache_bases (workspace, entity_id, version, payload)
                SELECT $w, $e, server_version, server_payload FROM conflicts WHERE op_seq = $s AND server_payload IS NOT NULL;
                """)
            .With("$w", workspace)
            .With("$e", entityId)
            .With("$s", seq)
            .ExecuteNonQuery();
        session.TouchDocuments(workspace, [entityId]);
    }

    public static bool TryAcquireLease(WriteSession session, string workspace, string owner, TimeSpan duration, DateTimeOffset now)
    {
        var nowMs = UnixMilliseconds.From(now);
        using (var current = session.Sql("SELECT owner, expires_at FROM leases WHERE workspace = $w;").With("$w", workspace).ExecuteReader())
        {
            // A holder whose process is gone (killed, crashed) hands over at once instead of at its lease's expiry.
            if (current.Read() && current.GetString(0) != owner && current.GetInt64(1) > nowMs && !ProcessOwner.IsGone(current.GetString(0)))
            {
                return false;
            }
        }

        session.Sql("""
                INSERT INTO leases (workspace, owner, expires_at) VALUES ($w, $o, $e)
                ON CONFLICT (workspace) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at;
                """)
            .With("$w", workspace)
            .With("$o", owner)
            .With("$e", UnixMilliseconds.From(now + duration))
            .ExecuteNonQuery();
        return true;
    }

    public static void ReleaseLease(WriteSession session, string workspace, string owner) =>
        session.Sql("DELETE FROM leases WHERE workspace = $w AND owner = $o;")
            .With("$w", workspace)
            .With("$o", owner)
            .ExecuteNonQuery();
}
