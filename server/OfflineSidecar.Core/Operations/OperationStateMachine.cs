using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Operations;

/// <summary>
/// Which status moves are legal. The store asks here where the move depends on its caller (an outcome's new status, the
/// statuses to clear); moves it makes itself are guarded by the status in their own statement's WHERE, or by the status
/// read in the same writer transaction (architecture invariant 5).
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
