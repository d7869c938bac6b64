using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;

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
}
