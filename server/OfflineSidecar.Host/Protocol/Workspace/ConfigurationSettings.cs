namespace OfflineSidecar.Host.Protocol.Workspace;

public sealed record ConfigurationSettings
{
    public OfflineSyncConfigurationSection? OfflineSync { get; init; }
}
