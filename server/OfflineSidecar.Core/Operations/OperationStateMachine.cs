using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Operations;

/// <summary>
/// The only place that knows which status moves are legal. The store checks every transition here,
/// so a worker bug surfaces as <see cref="QueueErrorKind.InvalidState"/> instead of a corrupted queue.
/// </summary>
public static class OperationStateMachine
{
    public static bool CanMove(OperationStatus from, OperationStatus to) => (from, to) switch
    {
        (OperationStatus.Pending, OperationStatus.Syncing) => true,
        // Re-saving a pending operation (payload update, prioritize, retry of a backoff wait).
        (OperationStatus.Pending, OperationStatus.Pending) => true,
        (OperationStatus.Syncing, OperationStatus.Pending) => true,
        (OperationStatus.Syncing, OperationStatus.Succeeded) => true,
        (OperationStatus.Syncing, OperationStatus.Failed) => true,
        (OperationStatus.Syncing, OperationStatus.Conflict) => true,
        (OperationStatus.Failed, OperationStatus.Pending) => true,
        (OperationStatus.Conflict, OperationStatus.Pending) => true,
        _ => false,
    };

    /// <summary>A syncing operation may be in flight on the server; deleting it would lose the outcome.</summary>
    public static bool CanDelete(OperationStatus status) => status != OperationStatus.Syncing;

    public static void EnsureCanMove(OperationStatus from, OperationStatus to)
    {
        if (!CanMove(from, to))
        {
            throw new QueueException(QueueErrorKind.InvalidState, $"cannot move an operation from {Word(from)} to {Word(to)}");
        }
    }

    public static void EnsureCanDelete(OperationStatus status)
    {
        if (!CanDelete(status))
        {
            throw new QueueException(QueueErrorKind.InvalidState, $"cannot delete an operation that is {Word(status)}");
        }
    }

    private static string Word(OperationStatus status) => status.ToString().ToLowerInvariant();
}
