namespace OfflineSync.Server.Wire;

internal sealed record CommandBatchResponse(DateTime ServerTime, IReadOnlyList<CommandResult> Results);
