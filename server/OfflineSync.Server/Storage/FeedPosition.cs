namespace OfflineSync.Server.Storage;

/// <summary>Where a changes-feed cursor points: after the change <see cref="Sequence"/>, as read once the workspace's
/// horizon had been raised <see cref="Epoch"/> times. The epoch tells a cursor issued before a compaction from one
/// issued after it at the same sequence: only the first can belong to a client holding a purged entity.</summary>
internal readonly record struct FeedPosition(long Epoch, long Sequence)
{
    public bool IsBefore(FeedPosition other) => Epoch < other.Epoch || (Epoch == other.Epoch && Sequence < other.Sequence);
}
