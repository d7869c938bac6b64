namespace OfflineSidecar.Host.Protocol.Queue;

/// <summary>Outcome: applied, duplicate, conflict, rejected, retry or error.</summary>
public sealed record AttemptRecordDto(int Attempt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, OperationErrorDto? Error);
