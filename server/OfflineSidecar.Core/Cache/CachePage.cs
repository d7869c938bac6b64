namespace OfflineSidecar.Core.Cache;

/// <summary>
/// A page of documents in id order. <see cref="Folders"/> (only with a delimiter) are the sub-folders met on this
/// page, each the prefix plus one segment plus the delimiter. <see cref="Total"/> counts the documents under the prefix.
/// </summary>
public sealed record CachePage(IReadOnlyList<CacheEntry> Items, IReadOnlyList<string> Folders, string? NextCursor, long Total);
