namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record PathParams
{
    public required string Path { get; init; }
}
