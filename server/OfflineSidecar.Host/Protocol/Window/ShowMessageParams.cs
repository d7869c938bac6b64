namespace OfflineSidecar.Host.Protocol.Window;

/// <summary>Standard LSP <c>window/showMessage</c>: what the user must see, not only the log.</summary>
public sealed record ShowMessageParams(LogMessageType Type, string Message);
