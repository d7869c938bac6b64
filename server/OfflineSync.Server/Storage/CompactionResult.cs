namespace OfflineSync.Server.Storage;

/// <param name="Removed">Change rows deleted by this compaction.</param>
/// <param name="Horizon">The workspace's feed horizon after it.</param>
internal sealed record CompactionResult(long Removed, FeedHorizon Horizon);
