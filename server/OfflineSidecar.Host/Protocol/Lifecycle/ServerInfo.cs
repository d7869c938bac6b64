namespace OfflineSidecar.Host.Protocol.Lifecycle;

public sealed record ServerInfo(string Name, string Version);
