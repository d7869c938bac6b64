using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Queue;

/// <summary>Returned only after the operation's transaction committed.</summary>
public sealed record EnqueueResult(string Id, OperationStatus Status, bool Coalesced);
