namespace OfflineSidecar.Host.Protocol.Cache;

public sealed record CacheListParams
{
    public string? Prefix { get; init; }

    /// <summary>When set ('/'), ids with it after the prefix are rolled up into <c>folders</c>.</summary>
    public string? Delimiter { get; init; }

    public string? Cursor { get; init; }

    public int? Limit { get; init; }
}
