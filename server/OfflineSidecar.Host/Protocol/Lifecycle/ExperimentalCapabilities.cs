namespace OfflineSidecar.Host.Protocol.Lifecycle;

public sealed record ExperimentalCapabilities(OfflineSyncCapability OfflineSync);
