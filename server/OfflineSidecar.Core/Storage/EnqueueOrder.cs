namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Keeps the call order of one workspace's enqueues per entity and per dedup key. The INSERT takes its <c>seq</c> in
/// the writer's transaction, so the order is the order the jobs reach the writer; an enqueue with attachments first
/// copies them off the writer, and a call made meanwhile would reach the writer first. So a call that shares an entity
/// or dedup key with an earlier one still on its way waits until that one has handed its job to the writer (or
/// failed); calls that share neither go straight through, and a large copy holds up only its own entity.
/// </summary>
internal sealed class EnqueueOrder
{
    private readonly Lock gate = new();

    // The hand-off of the latest call not yet at the writer, per entity and per dedup key; absent when none is.
    private readonly Dictionary<string, Task> byEntity = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> byDedupKey = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the call's place, synchronously at the call. Null when nothing earlier of its keys is on its way and
    /// <paramref name="handsOffNow"/>: the caller then hands its job to the writer at once, before returning.
    /// </summary>
    public EnqueueTurn? Enter(string? entityId, string? dedupKey, bool handsOffNow)
    {
        lock (gate)
        {
            var afterEntity = entityId is not null && byEntity.TryGetValue(entityId, out var entityHandOff) ? entityHandOff : null;
            var afterDedup = dedupKey is not null && byDedupKey.TryGetValue(dedupKey, out var dedupHandOff) ? dedupHandOff : null;
            if (handsOffNow && afterEntity is null && afterDedup is null)
            {
                return null;
            }

            var earlier = afterEntity is not null && afterDedup is not null
                ? Task.WhenAll(afterEntity, afterDedup)
                : afterEntity ?? afterDedup ?? Task.CompletedTask;
            var turn = new EnqueueTurn(this, entityId, dedupKey, earlier);
            if (entityId is not null)
            {
                byEntity[entityId] = turn.HandOff;
            }

            if (dedupKey is not null)
            {
                byDedupKey[dedupKey] = turn.HandOff;
            }

            return turn;
        }
    }

    internal void Leave(EnqueueTurn turn)
    {
        lock (gate)
        {
            // A later call of the same key may have taken the place since: it leaves it itself.
            if (turn.EntityId is not null && byEntity.TryGetValue(turn.EntityId, out var entityLatest) && entityLatest == turn.HandOff)
            {
                byEntity.Remove(turn.EntityId);
            }

            if (turn.DedupKey is not null && byDedupKey.TryGetValue(turn.DedupKey, out var dedupLatest) && dedupLatest == turn.HandOff)
            {
                byDedupKey.Remove(turn.DedupKey);
            }
        }
    }
}
