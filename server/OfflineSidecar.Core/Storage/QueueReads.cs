using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Attachments;

namespace OfflineSidecar.Core.Storage;

/// <summary>Reads on a reader connection: never blocked by the writer, always the last committed state.</summary>
internal static class QueueReads
{
    public const int MaxPageSize = 500;

    private static readonly OperationStatus[] AllStatuses = Enum.GetValues<OperationStatus>();

    public static QueueCounts Counts(StatementCache reader, string workspace)
    {
        long pending = 0, syncing = 0, succeeded = 0, failed = 0, conflict = 0;
        using var rows = reader.Sql("SELECT status, count FROM queue_counts WHERE workspace = $w;").With("$w", workspace).ExecuteReader();
        while (rows.Read())
        {
            var count = rows.GetInt64(1);
            switch ((OperationStatus)rows.GetInt32(0))
            {
                case OperationStatus.Pending: pending = count; break;
                case OperationStatus.Syncing: syncing = count; break;
                case OperationStatus.Succeeded: succeeded = count; break;
                case OperationStatus.Failed: failed = count; break;
                case OperationStatus.Conflict: conflict = count; break;
            }
        }

        return new QueueCounts(pending, syncing, failed, conflict, succeeded);
    }

    public static OperationPage List(StatementCache reader, string workspace, ListQuery query)
    {
        var statuses = query.Statuses is { Count: > 0 } ? query.Statuses.Distinct().ToArray() : AllStatuses;
        var after = ListCursor.Decode(query.Cursor) ?? new ListCursor(-1, 0);
        var rows = query.EntityId is { } entityId
            ? EntityPage(reader, workspace, entityId, statuses, after, query.Limit + 1)
            : StatusPages(reader, workspace, statuses, after, query.Limit + 1);

        var hasMore = rows.Count > query.Limit;
        var items = AttachmentRows.AttachTo(reader, hasMore ? rows.GetRange(0, query.Limit) : rows);
        var nextCursor = hasMore ? new ListCursor((int)items[^1].Priority, items[^1].Sequence).Encode() : null;
        var total = query.EntityId is { } entity
            ? EntityTotal(reader, workspace, entity, statuses)
            : StatusTotal(Counts(reader, workspace), statuses);
        return new OperationPage(items, nextCursor, total);
    }

    public static OperationDetails? Get(StatementCache reader, string workspace, string id)
    {
        // The delivering attempt's columns follow payload, so one read of the row gives both.
        Operation operation;
        (long StartedAt, string Outcome)? delivery;
        using (var row = reader.Sql($"SELECT {OperationRows.ColumnsWithPayload}, delivery_started_at, delivery_outcome FROM operations WHERE id = $id AND workspace = $w;")
                   .With("$id", id)
                   .With("$w", workspace)
                   .ExecuteReader())
        {
            if (!row.Read())
            {
                return null;
            }

            operation = OperationRows.Read(row, withPayload: true);
            delivery = row.GetStringOrNull(OperationRows.AfterPayload + 1) is { } outcome ? (row.GetInt64(OperationRows.AfterPayload), outcome) : null;
        }

        operation = AttachmentRows.AttachTo(reader, operation);

        var attempts = new List<AttemptRecord>();
        using (var rows = reader.Sql(
                       "SELECT attempt, started_at, finished_at, outcome, error_code, error_message FROM attempts WHERE op_seq = $s ORDER BY attempt;")
                   .With("$s", operation.Sequence)
                   .ExecuteReader())
        {
            while (rows.Read())
            {
                attempts.Add(new AttemptRecord(
                    rows.GetInt32(0),
                    UnixMilliseconds.To(rows.GetInt64(1)),
                    UnixMilliseconds.To(rows.GetInt64(2)),
                    rows.GetString(3),
                    rows.GetStringOrNull(4) is { } code ? new OperationError(code, rows.GetStringOrNull(5) ?? string.Empty) : null));
            }
        }

        // Schema version 2: the attempt that delivered a succeeded operation is kept in its row. Succeeded is final, so
        // it follows every attempts row and finished at updated_at.
        if (delivery is { } delivered)
        {
            var number = attempts.Count > 0 ? attempts[^1].Attempt + 1 : 1;
            attempts.Add(new AttemptRecord(number, UnixMilliseconds.To(delivered.StartedAt), operation.UpdatedAt, delivered.Outcome, null));
        }

        ConflictSnapshot? conflict = null;
        using (var row = reader.Sql("SELECT server_version, server_payload, detected_at FROM conflicts WHERE op_seq = $s;")
                   .With("$s", operation.Sequence)
                   .ExecuteReader())
        {
            if (row.Read())
            {
                conflict = new ConflictSnapshot(row.GetInt64(0), row.GetStringOrNull(1), UnixMilliseconds.To(row.GetInt64(2)));
            }
        }

        return new OperationDetails(operation, attempts, conflict);
    }

    public static DateTimeOffset? NextDueAt(StatementCache reader, string workspace) =>
        reader.Sql($"""
                SELECT MIN(next_attempt_at) FROM operations
                WHERE workspace = $w AND status = {StoredStatus.Pending} AND is_head = 1 AND next_attempt_at IS NOT NULL;
                """)
            .With("$w", workspace)
            .ScalarInt64() is { } due
            ? UnixMilliseconds.To(due)
            : null;

    public static bool HasEligible(StatementCache reader, string workspace, DateTimeOffset now) =>
        reader.Sql($"""
                SELECT EXISTS (SELECT 1 FROM operations INDEXED BY ix_operations_claim
                               WHERE workspace = $w AND status = {StoredStatus.Pending} AND is_head = 1
                                 AND (next_attempt_at IS NULL OR next_attempt_at <= $now));
                """)
            .With("$w", workspace)
            .With("$now", UnixMilliseconds.From(now))
            .ScalarInt64() == 1;

    /// <summary>
    /// Bounded index walks per status in delivery order; merging at most five short lists beats asking SQLite to
    /// sort across statuses (which would read every matching row).
    /// </summary>
    private static List<Operation> StatusPages(StatementCache reader, string workspace, OperationStatus[] statuses, ListCursor after, int take)
    {
        var merged = new List<Operation>();
        foreach (var status in statuses)
        {
            merged.AddRange(StatusPage(reader, workspace, status, after, take));
        }

        merged.Sort(DeliveryOrder);
        if (merged.Count > take)
        {
            merged.RemoveRange(take, merged.Count - take);
        }

        return merged;
    }

    /// <summary>
    /// The rest of the cursor's priority, then the lower priorities: two clean index ranges. A row-value
    /// comparison (priority, seq) > (p, q) would only seek on priority and scan every earlier row of it.
    /// </summary>
    private static List<Operation> StatusPage(StatementCache reader, string workspace, OperationStatus status, ListCursor after, int take)
    {
        var rows = OperationRows.ReadAll(
            reader.Sql($"""
                    SELECT {OperationRows.Columns} FROM operations
                    WHERE workspace = $w AND status = $status AND priority = $p AND seq > $q
                    ORDER BY seq LIMIT $take;
                    """)
                .With("$w", workspace)
                .With("$status", (int)status)
                .With("$p", after.Priority)
                .With("$q", after.Seq)
                .With("$take", take),
            withPayload: false);
        if (rows.Count < take)
        {
            rows.AddRange(OperationRows.ReadAll(
                reader.Sql($"""
                        SELECT {OperationRows.Columns} FROM operations
                        WHERE workspace = $w AND status = $status AND priority > $p
                        ORDER BY priority, seq LIMIT $take;
                        """)
                    .With("$w", workspace)
                    .With("$status", (int)status)
                    .With("$p", after.Priority)
                    .With("$take", take - rows.Count),
                withPayload: false));
        }

        return rows;
    }

    /// <summary>One entity's operations are few (coalescing keeps them so): its index narrows the rows before the sort.
    /// Named explicitly because the planner otherwise prefers the status index for the ORDER BY and scans a whole status.</summary>
    private static List<Operation> EntityPage(
        StatementCache reader, string workspace, string entityId, OperationStatus[] statuses, ListCursor after, int take) =>
        OperationRows.ReadAll(
            reader.Sql($"""
                    SELECT {OperationRows.Columns} FROM operations INDEXED BY ix_operations_entity
                    WHERE workspace = $w AND entity_id = $e AND status IN ({StatusList.Sql(statuses)}) AND (priority, seq) > ($p, $q)
                    ORDER BY priority, seq LIMIT $take;
                    """)
                .With("$w", workspace)
                .With("$e", entityId)
                .With("$p", after.Priority)
                .With("$q", after.Seq)
                .With("$take", take),
            withPayload: false);

    private static long EntityTotal(StatementCache reader, string workspace, string entityId, OperationStatus[] statuses) =>
        reader.Sql($"SELECT COUNT(*) FROM operations WHERE workspace = $w AND entity_id = $e AND status IN ({StatusList.Sql(statuses)});")
            .With("$w", workspace)
            .With("$e", entityId)
            .ScalarInt64() ?? 0;

    private static long StatusTotal(QueueCounts counts, OperationStatus[] statuses) => statuses.Sum(status => status switch
    {
        OperationStatus.Pending => counts.Pending,
        OperationStatus.Syncing => counts.Syncing,
        OperationStatus.Succeeded => counts.Succeeded,
        OperationStatus.Failed => counts.Failed,
        OperationStatus.Conflict => counts.Conflict,
        _ => 0,
    });

    private static int DeliveryOrder(Operation a, Operation b) =>
        a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : a.Sequence.CompareTo(b.Sequence);
}
