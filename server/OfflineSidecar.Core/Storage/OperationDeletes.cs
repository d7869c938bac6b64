using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage.Attachments;

namespace OfflineSidecar.Core.Storage;

internal static class OperationDeletes
{
    /// <summary>Deletes one operation (attempts and conflict go with it) and hands its entity's lead to the next one.</summary>
    public static void Delete(WriteSession session, string workspace, OperationLocator operation)
    {
        OperationStateMachine.EnsureCanDelete(operation.Status);
        AttachmentRows.Release(session, operation.Seq);
        session.Sql("DELETE FROM operations WHERE seq = $s;").With("$s", operation.Seq).ExecuteNonQuery();
        if (operation.IsHead && operation.EntityId is { } entityId)
        {
            EntityHeads.PromoteNext(session, workspace, entityId, operation.Seq);
        }

        session.Touch(workspace);
    }

    /// <summary>Deletes every operation of the given statuses in one statement, then repairs the heads it removed.</summary>
    public static int DeleteWhereStatus(WriteSession session, string workspace, IReadOnlyCollection<OperationStatus> statuses)
    {
        foreach (var status in statuses)
        {
            OperationStateMachine.EnsureCanDelete(status);
        }

        if (statuses.Count == 0)
        {
            return 0;
        }

        AttachmentRows.ReleaseWhere(session, workspace, StatusList.Sql(statuses));
        var removedHeads = new List<(string EntityId, long Seq)>();
        var removed = 0;
        using (var rows = session.Sql(
                       $"DELETE FROM operations WHERE workspace = $w AND status IN ({StatusList.Sql(statuses)}) " +
                       "RETURNING seq, entity_id, is_head;")
                   .With("$w", workspace)
                   .ExecuteReader())
        {
            while (rows.Read())
            {
                removed++;
                if (rows.GetInt64(2) == 1 && rows.GetStringOrNull(1) is { } entityId)
                {
                    removedHeads.Add((entityId, rows.GetInt64(0)));
                }
            }
        }

        foreach (var (entityId, seq) in removedHeads)
        {
            EntityHeads.PromoteNext(session, workspace, entityId, seq);
        }

        if (removed > 0)
        {
            session.Touch(workspace);
        }

        return removed;
    }
}
