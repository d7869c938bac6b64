namespace OfflineSidecar.Core.Operations;

/// <summary>One delivery attempt as remembered for the details view. Outcome is the wire word:
/// applied, duplicate, conflict, rejected, retry, error.</summary>
public sealed record AttemptRecord(int Attempt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, OperationError? Error);
