namespace OfflineSidecar.Core.Cache;

/// <summary>
/// What the pull and the conflict merge need from the cache of one workspace. Implemented by the SQLite store;
/// substituted in unit tests.
/// </summary>
public interface ICacheStore
{
    string WorkspaceId { get; }

    Task<PullState> GetPullStateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a page's rows and the cursor after it in one transaction, if the cursor is still
    /// <paramref name="expectedCursor"/> in <paramref name="generation"/> (else InvalidState: another sidecar pulled).
    /// Returns how many documents changed.
    /// </summary>
    Task<int> ApplyPageAsync(string? expectedCursor, long generation, ChangesPage page, CancellationToken cancellationToken = default);

    /// <summary>The server no longer accepts the cursor, or the cache is to be pulled from another <paramref name="server"/>
    /// (null: the same): start again from the beginning in a new generation. The queue is not touched.</summary>
    Task<PullState> StartRefetchAsync(string? server, CancellationToken cancellationToken = default);

    /// <summary>Writes a document fetched on demand, unless the cache holds that version or a newer one.</summary>
    Task<bool> StoreFetchedAsync(ChangeRecord entity, CancellationToken cancellationToken = default);

    /// <summary>Evicts least recently read documents while over <paramref name="maxBytes"/>; returns how many.</summary>
    Task<int> EvictAsync(long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>The server content of <paramref name="version"/> of a document, if kept (a three-way merge's base).</summary>
    Task<string?> GetBaseAsync(string entityId, long version, CancellationToken cancellationToken = default);
}
