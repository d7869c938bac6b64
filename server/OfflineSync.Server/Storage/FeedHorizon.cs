namespace OfflineSync.Server.Storage;

/// <summary>
/// A workspace's changes-feed horizon. <see cref="Sequence"/> is the highest delete that compaction purged;
/// <see cref="Epoch"/> counts the compactions that raised it (0: never, no horizon).
/// </summary>
internal readonly record struct FeedHorizon(long Sequence, long Epoch)
{
    public bool Exists => Epoch > 0;

    /// <summary>The horizon as a cursor: where a reader stood, just before the raise, once it had read the purged
    /// delete. A cursor below it may belong to a client that holds an entity whose delete it can no longer read.
    /// Every cursor issued after the raise carries the new epoch and lies above it, including those of a read from
    /// the beginning that pass live rows older than the purged delete.</summary>
    public FeedPosition AsPosition => new(Epoch - 1, Sequence);

    public bool Expires(FeedPosition since) => Exists && since.IsBefore(AsPosition);

    /// <summary>False for an epoch this workspace has not reached: no such cursor was issued.</summary>
    public bool CouldHaveIssued(FeedPosition since) => since.Epoch <= Epoch;
}
