namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Maintains is_head: the earliest unfinished operation of each entity. Only heads are delivered, which is
/// what keeps one entity's operations in enqueue order whatever their priorities.
/// </summary>
internal static class EntityHeads
{
    /// <summary>
    /// SQL for the is_head of a new row (binds $w and $entity): it leads its entity when the entity's latest operation
    /// is absent or succeeded. An operation only succeeds as head, so everything before a succeeded one is finished too.
    /// Evaluated inside the INSERT to save a statement per enqueue.
    /// </summary>
    public const string HeadOnArrivalSql = $"""
        CASE WHEN $entity IS NULL THEN 1
             ELSE COALESCE((SELECT status = {StoredStatus.Succeeded} FROM operations WHERE workspace = $w AND entity_id = $entity ORDER BY seq DESC LIMIT 1), 1)
        END
        """;

    /// <summary>After the head at <paramref name="formerHeadSeq"/> succeeded or was deleted, the next unfinished operation leads.</summary>
    public static void PromoteNext(WriteSession session, string workspace, string entityId, long formerHeadSeq) =>
        session.Sql($"""
                UPDATE operations SET is_head = 1
                WHERE seq = (SELECT seq FROM operations
                             WHERE workspace = $w AND entity_id = $e AND seq > $s AND {DocumentSql.Unfinished}
                             ORDER BY seq LIMIT 1);
                """)
            .With("$w", workspace)
            .With("$e", entityId)
            .With("$s", formerHeadSeq)
            .ExecuteNonQuery();
}
