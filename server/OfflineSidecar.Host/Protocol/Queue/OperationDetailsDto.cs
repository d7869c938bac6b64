namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record OperationDetailsDto(OperationDto Operation, IReadOnlyList<AttemptRecordDto> Attempts, ConflictInfo? Conflict);
