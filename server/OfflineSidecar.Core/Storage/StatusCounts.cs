using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Keeps queue_counts right for a status change made by one statement: the writer has no per-row status trigger
/// (WriterTriggers), so every UPDATE of operations.status is followed, in the same transaction, by a call here.
/// </summary>
internal static class StatusCounts
{
    public static void Move(WriteSession session, string workspace, OperationStatus from, OperationStatus to, long rows)
    {
        if (rows == 0 || from == to)
        {
            return;
        }

        session.Sql("UPDATE queue_counts SET count = count - $n WHERE workspace = $w AND status = $s;")
            .With("$n", rows)
            .With("$w", workspace)
            .With("$s", (int)from)
            .ExecuteNonQuery();
        session.Sql("""
                INSERT INTO queue_counts (workspace, status, count) VALUES ($w, $s, $n)
                    ON CONFLICT (workspace, status) DO UPDATE SET count = count + excluded.count;
                """)
            .With("$w", workspace)
            .With("$s", (int)to)
            .With("$n", rows)
            .ExecuteNonQuery();
    }
}
