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

    private readonly JsonRpcConnection _client;
    private readonly SidecarSession _session;
    private readonly SidecarLog _log;
    private readonly NotificationCoalescer _status;
    private readonly NotificationCoalescer _queue;
    private readonly NotificationCoalescer _documents;
    private readonly ChangedDocuments _changedDocuments = new();
    private readonly OrderedOutbox _outbox;
    private readonly ProgressForwarder _progress;
    private SyncStatus? _lastStatus;

    public ClientNotifier(JsonRpcConnection client, SidecarSession session, SidecarLog log, TimeProvider time)
    {
        _client = client;
        _session = session;
        _log = log;
        _status = new NotificationCoalescer(CoalescingWindow, time, SendStatusAsync, OnSendFailed);
        _queue = new NotificationCoalescer(CoalescingWindow, time, SendQueueAsync, OnSendFailed);
        _documents = new NotificationCoalescer(CoalescingWindow, time, SendCacheChangedAsync, OnSendFailed);
        _outbox = new OrderedOutbox(OnSendFailed);
        _progress = new ProgressForwarder(client, log);

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
        _status.Signal();
        _queue.Signal();
    }

    /// <summary>Another account's partition (or the same one, its account now known): the editor re-reads all of it.</summary>
    private void OnScopeSwitched(PartitionScope old, PartitionScope next)
    {
        if (!ReferenceEquals(old, next))
        {
            Detach(old);
            Attach(next);
            _changedDocuments.Add(null);
            _documents.Signal();
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
        _changedDocuments.Add(e.EntityIds);
        _documents.Signal();
        _status.Signal();
    }

    private void OnStateChanged(object? sender, SyncState e) => _status.Signal();

    private void OnSpaceChanged(object? sender, StorageSpace e)
    {
        if (e.Level != SpaceLevel.Ok)
        {
            _log.Warning($"low disk space: {e.FreeBytes} bytes free for the data directory ({e.Level}; warning under {e.WarningBytes}, new operations refused under {e.CriticalBytes})");
        }

        _status.Signal();
    }

    private void OnSyncEvent(object? sender, SyncEvent e) => _outbox.Post(cancellationToken => SendSyncEventAsync(e, cancellationToken));

    private void OnProgress(object? sender, SyncProgress e) => _outbox.Post(cancellationToken => _progress.ForwardAsync(e, cancellationToken));

    private async Task SendStatusAsync(CancellationToken cancellationToken)
    {
        SyncStatus status = await _session.GetStatusAsync(cancellationToken);
        if (status == _lastStatus)
        {
            return;
        }

        _lastStatus = status;
        await _client.NotifyAsync(OfflineSyncMethods.StatusChanged, status, cancellationToken);
    }

    private async Task SendQueueAsync(CancellationToken cancellationToken)
    {
        QueueCounts counts = await _session.Queue.GetCountsAsync(cancellationToken);
        await _client.NotifyAsync(OfflineSyncMethods.QueueChanged, new QueueChangedParams(ProtocolMapper.ToDto(counts)), cancellationToken);
    }

    private async Task SendCacheChangedAsync(CancellationToken cancellationToken)
    {
        if (_changedDocuments.TryTake(out IReadOnlyList<string>? entityIds))
        {
            await _client.NotifyAsync(OfflineSyncMethods.CacheChanged, new CacheChangedParams(entityIds), cancellationToken);
        }
    }

    private async Task SendSyncEventAsync(SyncEvent syncEvent, CancellationToken cancellationToken)
    {
        QueueCounts counts = await _session.Queue.GetCountsAsync(cancellationToken);
        await _client.NotifyAsync(OfflineSyncMethods.SyncEvent, ProtocolMapper.ToDto(syncEvent, counts), cancellationToken);
    }

    private void OnSendFailed(Exception ex) => _log.Warning($"could not send a notification: {ex.Message}");

    public async ValueTask DisposeAsync()
    {
        _session.ScopeSwitched -= OnScopeSwitched;
        if (_session.Store.Space is { } space)
        {
            space.Changed -= OnSpaceChanged;
        }

        Detach(_session.Scope);
        await _outbox.DisposeAsync();
        await _status.DisposeAsync();
        await _queue.DisposeAsync();
        await _documents.DisposeAsync();
    }
}
