using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record ClearQueueParams
{
    /// <summary>Absent: every status but syncing.</summary>
    public IReadOnlyList<OperationStatus>? Statuses { get; init; }
}
