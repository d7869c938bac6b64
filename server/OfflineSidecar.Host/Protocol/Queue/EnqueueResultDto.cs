using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record EnqueueResultDto(string Id, OperationStatus Status, bool Coalesced);
