namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record OperationIdParams
{
    public required string Id { get; init; }
}
