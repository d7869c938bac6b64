using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Attachments;

namespace OfflineSidecar.Core.Storage;

/// <summary>The user-facing mutations, each run as (part of) one writer transaction.</summary>
internal static class QueueWrites
{
    private const string Returning = " RETURNING " + OperationRows.ColumnsWithPayload + ";";

    // Retrying an operation that expired means "send it anyway": its expiry goes, or it would only expire again.
    // An operation that failed for another reason keeps its expiry.
    private const string ClearExpiredSql = "expires_at = CASE WHEN last_error_code = '" + Sync.SyncErrorCodes.Expired + "' THEN NULL ELSE expires_at END";

    public static EnqueueResult Enqueue(WriteSession session, string workspace, NewOperation operation, BlobStore blobs)
    {
        CommitBlobs(operation, blobs);
        if (operation.DedupKey is { } dedupKey && TryCoalesce(session, workspace, dedupKey, operation) is { } coalesced)
        {
            return coalesced;
        }

        Insert(session, workspace, operation);
        return new EnqueueResult(operation.Id, OperationStatus.Pending, Coalesced: false);
    }

    /// <summary>The blobs become durable under their names before the transaction that references them commits.</summary>
    public static void CommitBlobs(NewOperation operation, BlobStore blobs)
    {
        var moved = false;
        foreach (var attachment in operation.Attachments ?? [])
        {
            try
            {
                moved |= blobs.Commit(attachment);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new QueueException(QueueErrorKind.StorageFailure, $"storage failure: cannot store attachment {attachment.Reference.Name}: {error.Message}", error);
            }
        }

        if (moved)
        {
            // One directory flush for every name this operation added, still before the commit that references them.
            DirectorySync.Flush(blobs.Directory);
        }
    }

    public static void Insert(WriteSession session, string workspace, NewOperation operation)
    {
        session.Sql($"""
                INSERT INTO operations (id, workspace, type, entity_id, idempotency_key, dedup_key, expected_version,
                                        priority, status, is_head, attempts, created_at, updated_at, payload_bytes, payload,
                                        expires_at, client_trace_id, server_created_at)
                VALUES ($id, $w, $type, $entity, $idem, $dedup, $expected, $priority, {StoredStatus.Pending}, {EntityHeads.HeadOnArrivalSql},
                        0, $created, $updated, $bytes, $payload, $expires, $trace,
                        $created + (SELECT offset_ms FROM server_clock WHERE workspace = $w));
                """)
            .With("$id", operation.Id)
            .With("$w", workspace)
            .With("$type", operation.Type)
            .With("$entity", operation.EntityId)
            .With("$idem", operation.IdempotencyKey)
            .With("$dedup", operation.DedupKey)
            .With("$expected", operation.ExpectedVersion)
            .With("$priority", (int)operation.Priority)
            .With("$created", UnixMilliseconds.From(operation.CreatedAt))
            .With("$updated", session.NowMilliseconds)
            .With("$bytes", operation.PayloadBytes)
            .With("$payload", operation.PayloadJson)
            .With("$expires", operation.ExpiresAt is { } expires ? UnixMilliseconds.From(expires) : null)
            .With("$trace", operation.ClientTraceId)
            .ExecuteNonQuery();
        if (operation.Attachments is { Count: > 0 } attachments)
        {
            var seq = session.Sql("SELECT seq FROM operations WHERE id = $id;").With("$id", operation.Id).ScalarInt64()!.Value;
            AttachmentRows.Insert(session, seq, [.. attachments.Select(static a => a.Reference)]);
        }

        session.Touch(workspace);
    }

    public static int Retry(WriteSession session, string workspace, IReadOnlyList<string>? ids, bool allFailed)
    {
        var now = session.NowMilliseconds;
        var count = 0;
        if (allFailed)
        {
            count += session.Sql(
                    "UPDATE operations SET status = " + StoredStatus.Pending + ", attempts = 0, next_attempt_at = NULL, updated_at = $now, " + ClearExpiredSql +
                    " WHERE workspace = $w AND status = " + StoredStatus.Failed + ";")
                .With("$now", now)
                .With("$w", workspace)
                .ExecuteNonQuery();
            StatusCounts.Move(session, workspace, OperationStatus.Failed, OperationStatus.Pending, count);
        }

        foreach (var id in (ids ?? []).Distinct(StringComparer.Ordinal))
        {
            if (OperationLocator.Find(session, workspace, id) is not { } operation)
            {
                continue;
            }

            var retryable = operation.Status == OperationStatus.Failed
                || (operation.Status == OperationStatus.Pending && operation.NextAttemptAt is not null);
            if (!retryable)
            {
                continue;
            }

            var changed = session.Sql(
                    "UPDATE operations SET status = " + StoredStatus.Pending + ", attempts = 0, next_attempt_at = NULL, updated_at = $now, " + ClearExpiredSql +
                    " WHERE seq = $s;")
                .With("$now", now)
                .With("$s", operation.Seq)
                .ExecuteNonQuery();
            StatusCounts.Move(session, workspace, operation.Status, OperationStatus.Pending, changed);
            count += changed;
        }

        if (count > 0)
        {
            session.Touch(workspace);
        }

        return count;
    }

    public static int Discard(WriteSession session, string workspace, IReadOnlyList<string> ids)
    {
        var count = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (OperationLocator.Find(session, workspace, id) is { } operation && OperationStateMachine.CanDelete(operation.Status))
            {
                OperationDeletes.Delete(session, workspace, operation);
                count++;
            }
        }

        return count;
    }

    public static Operation UpdatePayload(WriteSession session, string workspace, string id, string payloadJson, int payloadBytes)
    {
        var operation = OperationLocator.Require(session, workspace, id);
        if (operation.Status != OperationStatus.Pending)
        {
            throw new QueueException(
                QueueErrorKind.InvalidState,
                $"only a pending operation can be updated; {id} is {OperationWords.Of(operation.Status)}");
        }

        session.Touch(workspace);
        return OperationRows.ReadSingle(
            session.Sql("UPDATE operations SET payload = $p, payload_bytes = $b, updated_at = $now, content_at = $now WHERE seq = $s" + Returning)
                .With("$p", payloadJson)
                .With("$b", payloadBytes)
                .With("$now", session.NowMilliseconds)
                .With("$s", operation.Seq),
            withPayload: true)!;
    }

    public static Operation Prioritize(WriteSession session, string workspace, string id)
    {
        var operation = OperationLocator.Require(session, workspace, id);
        if (operation.Status == OperationStatus.Succeeded)
        {
            throw new QueueException(QueueErrorKind.InvalidState, $"operation {id} already succeeded");
        }

        session.Touch(workspace);
        return OperationRows.ReadSingle(
            session.Sql("UPDATE operations SET priority = " + StoredPriority.High + ", updated_at = $now WHERE seq = $s" + Returning)
                .With("$now", session.NowMilliseconds)
                .With("$s", operation.Seq),
            withPayload: true)!;
    }

    public static int Clear(WriteSession session, string workspace, IReadOnlyList<OperationStatus>? statuses)
    {
        var requested = statuses is { Count: > 0 } ? statuses : Enum.GetValues<OperationStatus>();
        // Syncing operations may be applied on the server right now; deleting them would lose the outcome.
        var deletable = requested.Where(OperationStateMachine.CanDelete).Distinct().ToList();
        return OperationDeletes.DeleteWhereStatus(session, workspace, deletable);
    }

    public static ImportResult Import(WriteSession session, string workspace, IReadOnlyList<NewOperation> operations, BlobStore blobs)
    {
        var imported = 0;
        var skipped = 0;
        foreach (var operation in operations)
        {
            var exists = session.Sql("SELECT 1 FROM operations WHERE id = $id;").With("$id", operation.Id).ScalarInt64() is not null;
            if (exists)
            {
                skipped++;
                continue;
            }

            CommitBlobs(operation, blobs);
            Insert(session, workspace, operation);
            imported++;
        }

        return new ImportResult(imported, skipped);
    }

    private static EnqueueResult? TryCoalesce(WriteSession session, string workspace, string dedupKey, NewOperation operation)
    {
        // Only the latest operation with this key may absorb the new payload, and only while it has not left:
        // replacing an older one would let its (newer) payload overtake an operation already in flight. And only one of
        // the same type: a save after a delete of the same path must stay a put, after the delete.
        long seq;
        string id;
        using (var latest = session.Sql(
                       "SELECT seq, id, status, type FROM operations WHERE workspace = $w AND dedup_key = $d ORDER BY seq DESC LIMIT 1;")
                   .With("$w", workspace)
                   .With("$d", dedupKey)
                   .ExecuteReader())
        {
            if (!latest.Read() || (OperationStatus)latest.GetInt32(2) != OperationStatus.Pending || latest.GetString(3) != operation.Type)
            {
                return null;
            }

            seq = latest.GetInt64(0);
            id = latest.GetString(1);
        }

        session.Sql("UPDATE operations SET payload = $p, payload_bytes = $b, updated_at = $now, content_at = $now WHERE seq = $s;")
            .With("$p", operation.PayloadJson)
            .With("$b", operation.PayloadBytes)
            .With("$now", session.NowMilliseconds)
            .With("$s", seq)
            .ExecuteNonQuery();
        // The latest save carries the files: the ones it replaces are swept after commit unless something else needs them.
        AttachmentRows.Release(session, seq);
        AttachmentRows.Insert(session, seq, [.. (operation.Attachments ?? []).Select(static a => a.Reference)]);
        session.Touch(workspace);
        return new EnqueueResult(id, OperationStatus.Pending, Coalesced: true);
    }
}
