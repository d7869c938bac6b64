using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Host.Protocol.Sync;

public sealed record ResolveAllParams(BulkResolution Resolution);
