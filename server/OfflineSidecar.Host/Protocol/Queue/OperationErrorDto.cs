namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record OperationErrorDto(string Code, string Message);
