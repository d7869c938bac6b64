namespace OfflineSidecar.Host.Tests.Dispatch;

public sealed record EchoParams
{
    public required string Text { get; init; }

    public int? Repeat { get; init; }

    public EchoOptions? Options { get; init; }
}
