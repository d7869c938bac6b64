namespace OfflineSidecar.Host.Tests.Dispatch;

public sealed record WaitParams
{
    public required string Key { get; init; }
}
