namespace OfflineSidecar.Host.Protocol.Sync;

public sealed record SyncNowResult(bool Started);
