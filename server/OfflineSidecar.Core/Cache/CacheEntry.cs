namespace OfflineSidecar.Core.Cache;

/// <summary>
/// One document as a read sees it: the server's row with the user's unfinished operations overlaid.
/// <see cref="Version"/> is the server version that overlay is based on (0: never on the server).
/// <see cref="ModifiedAt"/> is the content stamp in Unix milliseconds: it moves only when what is shown changes.
/// <see cref="PayloadJson"/> is null in summaries (stat, list) and for an evicted document not fetched again.
/// </summary>
public sealed record CacheEntry
{
    public required string EntityId { get; init; }
    public required string Type { get; init; }
    public required long Version { get; init; }
    public required CacheState State { get; init; }
    public string? PayloadJson { get; init; }
    public long Size { get; init; }
    public long ModifiedAt { get; init; }
    public DateTimeOffset? FetchedAt { get; init; }
    public bool Evicted { get; init; }
    public bool Pinned { get; init; }

    /// <summary>Id of the latest unfinished operation of this document, if any.</summary>
    public string? OperationId { get; init; }
}
