namespace OfflineSidecar.Core.Operations;

/// <summary>Lifecycle of a queued operation. Legal moves live in <see cref="OperationStateMachine"/> only.</summary>
public enum OperationStatus
{
    Pending,
    Syncing,
    Succeeded,
    Failed,
    Conflict,
}
