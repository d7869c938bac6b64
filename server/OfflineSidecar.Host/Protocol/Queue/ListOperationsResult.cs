namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record ListOperationsResult(IReadOnlyList<OperationDto> Items, string? NextCursor, long Total);
