namespace OfflineSidecar.Host.Protocol.Cache;

public sealed record CacheUnsyncedParams
{
    public const int DefaultLimit = 5000;
    public const int MaxLimit = 50000;

    /// <summary>At most this many unfinished operations are read.</summary>
    public int? Limit { get; init; }
}
