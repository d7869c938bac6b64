using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync.Conflicts;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>
/// The result of one delivery attempt of one operation, decided by the worker and written by the store.
/// NewStatus must be a legal move from syncing (see OperationStateMachine).
/// </summary>
public sealed record OperationOutcome
{
    public required string Id { get; init; }
    public required OperationStatus NewStatus { get; init; }
    /// <summary>applied, duplicate, conflict, rejected, retry, error (the attempt history word).</summary>
    public required string AttemptOutcome { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    /// <summary>True when this attempt counts (attempts + 1); false for auth pauses.</summary>
    public bool CountsAsAttempt { get; init; } = true;
    public DateTimeOffset? NextAttemptAt { get; init; }
    public OperationError? Error { get; init; }
    public long? ServerVersion { get; init; }
    public ConflictSnapshot? Conflict { get; init; }

    /// <summary>Set instead of <see cref="Conflict"/> when the conflict merged cleanly (NewStatus is then pending).</summary>
    public ConflictMerge? Merge { get; init; }
}
