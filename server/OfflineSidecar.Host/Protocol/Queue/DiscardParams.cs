namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record DiscardParams
{
    public required IReadOnlyList<string> Ids { get; init; }
}
