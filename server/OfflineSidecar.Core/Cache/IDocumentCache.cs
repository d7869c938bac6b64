namespace OfflineSidecar.Core.Cache;

/// <summary>
/// The op cache of one workspace as the editor sees it: documents are the server's rows with the user's unfinished
/// operations overlaid. Ids are document paths (see <see cref="Documents.DocumentIds"/>); a bad one is refused with
/// an InvalidArgument <see cref="Queue.QueueException"/>.
/// </summary>
public interface IDocumentCache
{
    string WorkspaceId { get; }

    /// <summary>Raised after a commit that changed documents (this process), with their ids when known.</summary>
    event EventHandler<CacheChangedEventArgs>? Changed;

    /// <summary>The document with its content (null content when evicted: the caller fetches it); null when absent.
    /// Counts as a read for eviction.</summary>
    Task<CacheEntry?> GetAsync(string entityId, CancellationToken cancellationToken = default);

    /// <summary>The document without its content; null when absent. Not a read.</summary>
    Task<CacheEntry?> StatAsync(string entityId, CancellationToken cancellationToken = default);

    /// <summary>True when some document lies under <paramref name="folder"/> + '/'.</summary>
    Task<bool> IsFolderAsync(string folder, CancellationToken cancellationToken = default);

    Task<CachePage> ListAsync(CacheListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Pinned documents are never evicted. Returns how many changed.</summary>
    Task<int> PinAsync(IReadOnlyList<string> entityIds, bool pinned, CancellationToken cancellationToken = default);

    /// <summary>What this sidecar's editor has open: never evicted while open.</summary>
    Task SetOpenAsync(IReadOnlyList<string> entityIds, bool open, CancellationToken cancellationToken = default);

    /// <summary>Documents with unfinished work and their state, at most <paramref name="maxOperations"/> operations read.</summary>
    Task<UnsyncedList> ListUnsyncedAsync(int maxOperations, CancellationToken cancellationToken = default);

    Task<CacheTotals> GetTotalsAsync(CancellationToken cancellationToken = default);

    Task<PullState> GetPullStateAsync(CancellationToken cancellationToken = default);
}
