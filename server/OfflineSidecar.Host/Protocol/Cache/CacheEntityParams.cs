namespace OfflineSidecar.Host.Protocol.Cache;

public sealed record CacheEntityParams(string EntityId);
