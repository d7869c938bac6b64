namespace OfflineSidecar.Core.Operations;

public sealed record OperationError(string Code, string Message);
