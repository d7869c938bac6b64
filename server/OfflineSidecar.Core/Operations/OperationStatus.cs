namespace OfflineSidecar.Core.Operations;

/// <summary>
/// Lifecycle of a queued operation. The numbers are stored in SQLite rows (and partial indexes): they never change,
/// and SQL spells them through <see cref="Storage.StoredStatus"/>. Which moves are legal: <see cref="OperationStateMachine"/>.
/// </summary>
public enum OperationStatus
{
    Pending = 0,
    Syncing = 1,
    Succeeded = 2,
    Failed = 3,
    Conflict = 4,
}
