namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record CountResult(int Count);
