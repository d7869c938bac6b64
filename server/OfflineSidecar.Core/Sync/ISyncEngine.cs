using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync.Conflicts;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// The background sync worker of one workspace as the host sees it. Knows nothing of JSON-RPC:
/// it raises events, the host turns them into notifications.
/// </summary>
public interface ISyncEngine : IAsyncDisposable
{
    SyncState State { get; }

    event EventHandler<SyncState>? StateChanged;

    event EventHandler<SyncEvent>? SyncEventRaised;

    event EventHandler<SyncProgress>? ProgressReported;

    /// <summary>
    /// The server said which account the current credentials act for: asked at start, after new credentials and after a
    /// server change, before anything is sent. Raised on the worker's thread.
    /// </summary>
    event EventHandler<AccountIdentity>? AccountIdentified;

    /// <summary>The store's counts changed (this process or another sharing the data directory).</summary>
    event EventHandler<QueueCounts>? CountsChanged;

    /// <summary>Recovers interrupted operations, starts the worker, the lease and the store watcher.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>New or newly eligible work exists (enqueue, retry, resolve): wake the worker.</summary>
    void Wake();

    /// <summary>Runs a flush now if possible. False when working offline, not configured, or not the leader.</summary>
    Task<bool> SyncNowAsync(CancellationToken cancellationToken = default);

    void SetWorkOffline(bool enabled);

    /// <summary>Kept in memory only.</summary>
    void SetCredentials(string? token);

    void UpdateOptions(SyncOptions options);

    Task<Operation?> ResolveConflictAsync(string id, ConflictResolution resolution, string? mergedPayloadJson, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pulls the server's changes into the op cache now (by the worker's loop, after a flush under way) and completes
    /// when a pull read the feed to its end, or was cancelled. Throws <see cref="Queue.QueueException"/>: NotAvailableOffline
    /// when the server cannot be asked, ServerAnswerRefused when its answer was not usable, InvalidState when another
    /// window of this workspace is the one that syncs (its pulls fill the shared cache).
    /// </summary>
    Task<Cache.PullResult> PullAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops the pull under way between pages (what it committed stays). False when none runs.</summary>
    bool CancelPull();

    /// <summary>
    /// Fetches one document from the server into the cache (its content was evicted). False when the server no longer
    /// has it; NotAvailableOffline when the server cannot be asked now.
    /// </summary>
    Task<bool> FetchDocumentAsync(string entityId, CancellationToken cancellationToken = default);
}
