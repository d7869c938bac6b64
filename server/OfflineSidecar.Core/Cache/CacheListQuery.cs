namespace OfflineSidecar.Core.Cache;

/// <param name="Prefix">Only ids starting with it (a folder is "notes/").</param>
/// <param name="Delimiter">When set, ids with this character after the prefix are rolled up into folders (S3-style).</param>
/// <param name="Cursor">Opaque, from a previous page.</param>
public sealed record CacheListQuery(string? Prefix, string? Delimiter, string? Cursor, int Limit)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;
}
