namespace OfflineSidecar.Host.Protocol.Lifecycle;

public sealed record OfflineSyncCapability(int ProtocolVersion)
{
    public const int CurrentVersion = 1;
}
