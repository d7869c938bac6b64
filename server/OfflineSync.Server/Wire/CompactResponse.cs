namespace OfflineSync.Server.Wire;

/// <param name="Horizon">The workspace's feed horizon as a cursor, or empty when it has none.</param>
internal sealed record CompactResponse(long Removed, string Horizon);
