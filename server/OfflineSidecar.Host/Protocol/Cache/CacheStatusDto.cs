namespace OfflineSidecar.Host.Protocol.Cache;

/// <summary>Documents cached (stubs included), the bytes their contents take, and the budget.</summary>
public sealed record CacheStatusDto(long Entities, long Bytes, long MaxBytes);
