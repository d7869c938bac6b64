namespace OfflineSidecar.Core.Operations;

public sealed record OperationDetails(Operation Operation, IReadOnlyList<AttemptRecord> Attempts, ConflictSnapshot? Conflict);
