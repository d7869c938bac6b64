namespace OfflineSidecar.Host.Protocol.Window;

public sealed record LogMessageParams(LogMessageType Type, string Message);
