using OfflineSidecar.Core.Operations;
using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Cli;

/// <summary>Status is the operation's state after the flush (pending means a retry is scheduled).</summary>
internal sealed record SyncOperationOutcome(string Id, string Type, string? EntityId, OperationStatus Status, int Attempts, OperationErrorDto? Error);
