namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Maintains is_head: the earliest unfinished operation of each entity. Only heads are delivered, which is
/// what keeps one entity's operations in enqueue order whatever their priorities.
/// </summary>
internal static class EntityHeads
{
    /// <summary>
    /// A new operation leads its entity when the entity's latest operation is absent or succeeded: an operation
    /// only succeeds as head, so everything before a succeeded one is finished too.
    /// </summary>
    public static bool IsHeadOnArrival(WriteSession session, string workspace, string? entityId)
    {
        if (entityId is null)
        {
            return true;
        }

        var latestStatus = session.Sql(
                "SELECT status FROM operations WHERE workspace = $w AND entity_id = $e ORDER BY seq DESC LIMIT 1;")
            .With("$w", workspace)
            .With("$e", entityId)
            .ScalarInt64();
        return latestStatus is null or (long)Operations.OperationStatus.Succeeded;
    }

    /// <summary>After the head at <paramref name="formerHeadSeq"/> succeeded or was deleted, the next unfinished operation leads.</summary>
    public static void PromoteNext(WriteSession session, string workspace, string entityId, long formerHeadSeq) =>
        session.Sql("""
                UPDATE operations SET is_head = 1
                WHERE seq = (SELECT seq FROM operations
                             WHERE workspace = $w AND entity_id = $e AND seq > $s AND status <> 2
                             ORDER BY seq LIMIT 1);
                """)
            .With("$w", workspace)
            .With("$e", entityId)
            .With("$s", formerHeadSeq)
            .ExecuteNonQuery();
}
