namespace OfflineSidecar.Host.Protocol.Cache;

public sealed record CacheUnsyncedResult(IReadOnlyList<UnsyncedDocumentDto> Items, bool Truncated);
