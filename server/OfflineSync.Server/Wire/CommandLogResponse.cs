namespace OfflineSync.Server.Wire;

/// <param name="Dropped">Records that fell out of the log since its last reset (it keeps the newest ones only).</param>
internal sealed record CommandLogResponse(IReadOnlyList<CommandRequestRecord> Requests, long Dropped);
