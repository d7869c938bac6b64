using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record ListOperationsParams
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public IReadOnlyList<OperationStatus>? Statuses { get; init; }

    public string? EntityId { get; init; }

    public string? Cursor { get; init; }

    public int? Limit { get; init; }
}
