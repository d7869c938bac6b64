namespace OfflineSidecar.Host.Protocol.Sync;

public sealed record SetWorkOfflineParams
{
    public required bool Enabled { get; init; }
}
