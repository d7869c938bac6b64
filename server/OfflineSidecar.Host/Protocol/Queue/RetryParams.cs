namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record RetryParams
{
    public IReadOnlyList<string>? Ids { get; init; }

    public bool? AllFailed { get; init; }
}
