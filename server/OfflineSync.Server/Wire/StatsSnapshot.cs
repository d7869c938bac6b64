namespace OfflineSync.Server.Wire;

internal sealed record StatsSnapshot(
    long Applied,
    long Duplicates,
    long Conflicts,
    long Rejected,
    long Retries,
    long Requests,
    long CommandRequests,
    long ChangesRequests,
    long EntityRequests,
    long DroppedAfterApply,
    long FaultResponses);
