using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.Host.Mapping;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Sync;
using OfflineSidecar.Host.Serve.Accounts;
using OfflineSidecar.JsonRpc.Dispatch;

namespace OfflineSidecar.Host.Serve.Notifications;

/// <summary>
/// The core raises events, this turns them into notifications: statusChanged, queueChanged and cacheChanged coalesced
/// to one per 100 ms, syncEvent and $/progress in the order the engine raised them.
/// </summary>
internal sealed class ClientNotifier : IAsyncDisposable
{
    public static readonly TimeSpan CoalescingWindow = TimeSpan.FromMilliseconds(100);

    private readonly JsonRpcConnection client;
    private readonly SidecarSession session;
    private readonly SidecarLog log;
    private readonly NotificationCoalescer status;
    private readonly NotificationCoalescer queue;
    private readonly NotificationCoalescer documents;
    private readonly ChangedDocuments changedDocuments = new();
    private readonly OrderedOutbox outbox;
    private readonly ProgressForwarder progress;
    private SyncStatus? lastStatus;

    public ClientNotifier(JsonRpcConnection client, SidecarSession session, SidecarLog log, TimeProvider time)
    {
        this.client = client;
        this.session = session;
        this.log = log;
        this.status = new NotificationCoalescer(CoalescingWindow, time, SendStatusAsync, OnSendFailed);
        queue = new NotificationCoalescer(CoalescingWindow, time, SendQueueAsync, OnSendFailed);
        documents = new NotificationCoalescer(CoalescingWindow, time, SendCacheChangedAsync, OnSendFailed);
        outbox = new OrderedOutbox(OnSendFailed);
        this.progress = new ProgressForwarder(client, log);

        Attach(session.Scope);
        session.ScopeSwitched += OnScopeSwitched;
        if (session.Store.Space is { } space)
        {
            space.Changed += OnSpaceChanged;
        }
    }

    /// <summary>Both state notifications, whether or not anything changed (sent once after initialized).</summary>
    public void SignalAll()
    {
        this.status.Signal();
        queue.Signal();
    }

    /// <summary>Another account's partition (or the same one, its account now known): the editor re-reads all of it.</summary>
    private void OnScopeSwitched(PartitionScope old, PartitionScope next)
    {
        if (!ReferenceEquals(old, next))
        {
            Detach(old);
            Attach(next);
            changedDocuments.Add(null);
            documents.Signal();
        }

        SignalAll();
    }

    private void Attach(PartitionScope scope)
    {
        scope.Queue.Changed += OnQueueChanged;
        scope.Cache.Changed += OnCacheChanged;
        scope.Engine.CountsChanged += OnCountsChanged;
        scope.Engine.StateChanged += OnStateChanged;
        scope.Engine.SyncEventRaised += OnSyncEvent;
        scope.Engine.ProgressReported += OnProgress;
    }

    private void Detach(PartitionScope scope)
    {
        scope.Queue.Changed -= OnQueueChanged;
        scope.Cache.Changed -= OnCacheChanged;
        scope.Engine.CountsChanged -= OnCountsChanged;
        scope.Engine.StateChanged -= OnStateChanged;
        scope.Engine.SyncEventRaised -= OnSyncEvent;
        scope.Engine.ProgressReported -= OnProgress;
    }

    private void OnQueueChanged(object? sender, QueueChangedEventArgs e) => SignalAll();

    private void OnCountsChanged(object? sender, QueueCounts e) => SignalAll();

    /// <summary>Documents changed: the editor refreshes them, and the status (last pulled, cache size) may have moved.</summary>
    private void OnCacheChanged(object? sender, CacheChangedEventArgs e)
    {
        changedDocuments.Add(e.EntityIds);
        documents.Signal();
        this.status.Signal();
    }

    private void OnStateChanged(object? sender, SyncState e) => this.status.Signal();

    private void OnSpaceChanged(object? sender, StorageSpace e)
    {
        if (e.Level != SpaceLevel.Ok)
        {
            this.log.Warning($"low disk space: {e.FreeBytes} bytes free for the data directory ({e.Level}; warning under {e.WarningBytes}, new operations refused under {e.CriticalBytes})");
        }

        this.status.Signal();
    }

    private void OnSyncEvent(object? sender, SyncEvent e) => outbox.Post(cancellationToken => SendSyncEventAsync(e, cancellationToken));

    private void OnProgress(object? sender, SyncProgress e) => outbox.Post(cancellationToken => this.progress.ForwardAsync(e, cancellationToken));

    private async Task SendStatusAsync(CancellationToken cancellationToken)
    {
        SyncStatus status = await this.session.GetStatusAsync(cancellationToken);
        if (status == lastStatus)
        {
            return;
        }

        lastStatus = status;
        await this.client.NotifyAsync(OfflineSyncMethods.StatusChanged, status, cancellationToken);
    }

    private async Task SendQueueAsync(CancellationToken cancellationToken)
    {
        QueueCounts counts = await this.session.Queue.GetCountsAsync(cancellationToken);
        await this.client.NotifyAsync(OfflineSyncMethods.QueueChanged, new QueueChangedParams(ProtocolMapper.ToDto(counts)), cancellationToken);
    }

    private async Task SendCacheChangedAsync(CancellationToken cancellationToken)
    {
        if (changedDocuments.TryTake(out IReadOnlyList<string>? entityIds))
        {
            await this.client.NotifyAsync(OfflineSyncMethods.CacheChanged, new CacheChangedParams(entityIds), cancellationToken);
        }
    }

    private async Task SendSyncEventAsync(SyncEvent syncEvent, CancellationToken cancellationToken)
    {
        QueueCounts counts = await this.session.Queue.GetCountsAsync(cancellationToken);
        await this.client.NotifyAsync(OfflineSyncMethods.SyncEvent, ProtocolMapper.ToDto(syncEvent, counts), cancellationToken);
    }

    private void OnSendFailed(Exception ex) => this.log.Warning($"could not send a notification: {ex.Message}");

    public async ValueTask DisposeAsync()
    {
        this.session.ScopeSwitched -= OnScopeSwitched;
        if (this.session.Store.Space is { } space)
        {
            space.Changed -= OnSpaceChanged;
        }

        Detach(this.session.Scope);
        await outbox.DisposeAsync();
        await this.status.DisposeAsync();
        await queue.DisposeAsync();
        await documents.DisposeAsync();
    }
}
