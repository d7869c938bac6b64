using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>The few columns a mutation needs to decide what to do with one operation.</summary>
internal readonly record struct OperationLocator(long Seq, OperationStatus Status, string? EntityId, bool IsHead, long? NextAttemptAt)
{
    /// <summary>Filled only by the outcome writer, which rebases later operations and updates the cache from them.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Filled only by the outcome writer.</summary>
    public string? Type { get; init; }

    /// <summary>Filled only by the outcome writer: the payload's bytes, and the cached row of the entity (the success path's
    /// update of the cache needs both, read with the operation instead of by a query of their own).</summary>
    public long PayloadBytes { get; init; }

    public CachedRow? Cached { get; init; }

    public static OperationLocator? Find(WriteSession session, string workspace, string id)
    {
        using var row = session.Sql(
                "SELECT seq, status, entity_id, is_head, next_attempt_at FROM operations WHERE id = $id AND workspace = $w;")
            .With("$id", id)
            .With("$w", workspace)
            .ExecuteReader();
        if (!row.Read())
        {
            return null;
        }

        return new OperationLocator(
            row.GetInt64(0),
            (OperationStatus)row.GetInt32(1),
            row.GetStringOrNull(2),
            row.GetInt64(3) == 1,
            row.GetInt64OrNull(4));
    }

    public static OperationLocator Require(WriteSession session, string workspace, string id) =>
        Find(session, workspace, id) ?? throw new QueueException(QueueErrorKind.NotFound, $"no operation with id {id}");
}
