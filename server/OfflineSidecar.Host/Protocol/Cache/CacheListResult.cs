namespace OfflineSidecar.Host.Protocol.Cache;

public sealed record CacheListResult(IReadOnlyList<CacheEntryDto> Items, IReadOnlyList<string> Folders, string? NextCursor, long Total);
