namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record ImportResultDto(int Count, int Skipped);
