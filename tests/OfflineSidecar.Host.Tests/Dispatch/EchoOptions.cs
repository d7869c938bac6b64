namespace OfflineSidecar.Host.Tests.Dispatch;

public sealed record EchoOptions
{
    public required bool Shout { get; init; }
}
