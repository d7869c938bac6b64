namespace OfflineSidecar.Integration.Tests.Support;

internal sealed record ServerStats(long Applied, long Duplicates, long Conflicts, long Rejected, long Retries, long Requests, long CommandRequests, long FaultResponses)
{
    public long ChangesRequests { get; init; }

    public long EntityRequests { get; init; }

    public long DroppedAfterApply { get; init; }
}
