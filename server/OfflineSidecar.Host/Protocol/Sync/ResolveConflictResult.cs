using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Protocol.Sync;

/// <summary>Operation is null after takeServer, which drops the local operation.</summary>
public sealed record ResolveConflictResult(OperationDto? Operation);
