namespace OfflineSidecar.Host.Protocol.Lifecycle;

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);
