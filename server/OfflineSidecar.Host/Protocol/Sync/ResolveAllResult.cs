namespace OfflineSidecar.Host.Protocol.Sync;

public sealed record ResolveAllResult(int Resolved, long Remaining);
