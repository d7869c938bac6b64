namespace OfflineSync.Server.Wire;

internal sealed record PruneResponse(long Removed);
