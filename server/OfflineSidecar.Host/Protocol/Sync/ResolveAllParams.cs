using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;

namespace OfflineSidecar.Host.Protocol.Sync;

public sealed record ResolveAllParams(BulkResolution Resolution);
