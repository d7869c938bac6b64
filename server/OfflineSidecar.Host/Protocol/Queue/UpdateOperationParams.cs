using OfflineSidecar.Host.Protocol.Serialization;

namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record UpdateOperationParams
{
    public required string Id { get; init; }

    public required RawJson Payload { get; init; }
}
