namespace OfflineSidecar.Core.Cache;

/// <summary>Documents cached (tombstones excluded, stubs included) and the bytes their payloads take.</summary>
public sealed record CacheTotals(long Entities, long Bytes)
{
    public static readonly CacheTotals Empty = new(0, 0);
}
