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

    // Per key (entity or dedup key), the hand-off of the latest call not yet at the writer; absent when none is.
    private readonly Dictionary<string, Task> onTheirWay = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the call's place, synchronously at the call. Null when nothing earlier of its keys is on its way and
    /// <paramref name="handsOffNow"/>: the caller hands its job to the writer at once, before returning.
    /// </summary>
    public EnqueueTurn? Enter(string? entityId, string? dedupKey, bool handsOffNow)
    {
        string[] keys = [.. Keys(entityId, dedupKey)];
        lock (gate)
        {
            var earlier = new List<Task>(keys.Length);
            foreach (var key in keys)
            {
                if (onTheirWay.TryGetValue(key, out var handOff))
                {
                    earlier.Add(handOff);
                }
            }

            if (handsOffNow && earlier.Count == 0)
            {
                return null;
            }

            var turn = new EnqueueTurn(this, keys, earlier.Count == 0 ? Task.CompletedTask : Task.WhenAll(earlier));
            foreach (var key in keys)
            {
                onTheirWay[key] = turn.HandOff;
            }

            return turn;
        }
    }

    internal void Leave(EnqueueTurn turn)
    {
        lock (gate)
        {
            foreach (var key in turn.Keys)
            {
                // A later call of the key may have taken the place: it leaves it itself.
                if (onTheirWay.TryGetValue(key, out var latest) && latest == turn.HandOff)
                {
                    onTheirWay.Remove(key);
                }
            }
        }
    }

    private static IEnumerable<string> Keys(string? entityId, string? dedupKey)
    {
        // Prefixed: an entity id and a dedup key may be spelled alike and still be different things.
        if (entityId is not null)
        {
            yield return "e:" + entityId;
        }

        if (dedupKey is not null)
        {
            yield return "d:" + dedupKey;
        }
    }
}
