using System.Globalization;
using System.Threading.Channels;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Connectivity;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// The background sync worker of one workspace: one loop that sleeps until a <see cref="Channel"/> signal or the
/// next thing that is due (a backoff, a probe, a periodic tick), then probes or flushes. Public members only record
/// intent and signal the loop; the loop alone talks to the transport.
/// </summary>
public sealed partial class SyncEngine : ISyncEngine
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(500);

    private readonly ISyncStore store;
    private readonly Func<SyncOptions, ISyncTransport> transportFactory;
    private readonly INetworkStatus network;
    private readonly IDisposable? ownedNetwork;
    private readonly TimeProvider time;

    /// <summary>Every schedule and duration kept in memory runs on this one; times stored or shown stay on <see cref="time"/>.</summary>
    private readonly MonotonicTimeProvider steady;
    private readonly ServerClock serverClock = new();
    private readonly IRandomSource random;
    private readonly Action<SyncLogLevel, string> log;
    private readonly ConnectivityMonitor monitor;
    private readonly FlusherLease lease;
    private readonly StoreChangeWatcher watcher;
    private readonly ICacheStore? cache;
    private readonly PullRunner? pulls;
    private readonly SideTransport sideTransport;
    private readonly ConflictMerger merger;
    private readonly AttachmentUploader uploader;
    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock stateGate = new();

    private volatile SyncOptions options;
    private volatile string? token;
    private volatile SyncPolicy policy;
    private SyncState state;
    private Task? loop;
    private int started;
    private int disposed;
    private int flushRequested;
    private int syncNowRequested;
    private int transportStale = 1;
    private int leadershipGained;
    private long credentialsGeneration;
    private int accountWanted = 1;
    private bool syncing;
    private DateTimeOffset? lastSyncedAt;
    private long? lastSyncedTimestamp;
    private int clockUnsaved;

    /// <summary>The estimate the store holds (what the state shows): enqueue stamps operations from the stored one.</summary>
    private volatile ServerClockEstimate? storedClock;
    private OperationError? lastError;

    public SyncEngine(
        ISyncStore store,
        SyncOptions options,
        Func<SyncOptions, ISyncTransport> transportFactory,
        INetworkStatus network,
        TimeProvider time,
        IRandomSource random,
        Action<SyncLogLevel, string>? log = null,
        ICacheStore? cache = null)
        : this(store, options, transportFactory, network, ownsNetwork: false, time, random, log, cache)
    {
    }

    private SyncEngine(
        ISyncStore store,
        SyncOptions options,
        Func<SyncOptions, ISyncTransport> transportFactory,
        INetworkStatus network,
        bool ownsNetwork,
        TimeProvider time,
        IRandomSource random,
        Action<SyncLogLevel, string>? log,
        ICacheStore? cache)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transportFactory);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        if (options.ServerUrl is not null)
        {
            ServerUrlPolicy.EnsureAllowed(options.ServerUrl);
        }

        this.store = store;
        this.options = options;
        this.transportFactory = transportFactory;
        this.network = network;
        ownedNetwork = ownsNetwork ? network as IDisposable : null;
        this.time = time;
        steady = new MonotonicTimeProvider(time);
        this.random = random;
        this.log = log ?? ((_, _) => { });
        policy = new SyncPolicy(options, random);
        monitor = new ConnectivityMonitor(steady, options.ProbeMin, options.ProbeMax);
        monitor.SetServer(options.ServerUrl is not null);
        monitor.SetWorkOffline(options.WorkOffline);
        var owner = ProcessOwner.NewName();
        lease = new FlusherLease(store, owner, options.Lease, time, this.log);
        lease.LeadershipChanged += OnLeadershipChanged;
        watcher = new StoreChangeWatcher(store, time, WatchInterval, OnCountsChanged, this.log);
        this.cache = cache;
        pulls = cache is null ? null : new PullRunner(cache, options.ServerWorkspaceId ?? cache.WorkspaceId, steady, p => Raise(ProgressReported, p), this.log);
        sideTransport = new SideTransport(transportFactory);
        merger = new ConflictMerger(cache);
        uploader = new AttachmentUploader(store);
        state = BuildState();
    }

    public event EventHandler<SyncState>? StateChanged;

    public event EventHandler<SyncEvent>? SyncEventRaised;

    public event EventHandler<SyncProgress>? ProgressReported;

    public event EventHandler<QueueCounts>? CountsChanged;

    public event EventHandler<AccountIdentity>? AccountIdentified;

    /// <summary>
    /// The last published state, except that <see cref="SyncState.IsLeader"/> is the lease's live answer: a lease
    /// that lapsed while its renewal is still stuck in the store stops counting at its expiry, not when we hear back.
    /// </summary>
    public SyncState State
    {
        get
        {
            var isLeader = lease.IsLeader;
            lock (stateGate)
            {
                return state.IsLeader == isLeader ? state : state with { IsLeader = isLeader };
            }
        }
    }

    /// <summary>The counts last read from the store (this process's or another's commits).</summary>
    public QueueCounts Counts => watcher.Counts;

    /// <summary>Wires the HTTP transport and the OS network status: what the host needs in one line.</summary>
    public static SyncEngine Create(ISyncStore store, SyncOptions options, TimeProvider time, Action<SyncLogLevel, string>? log = null, ICacheStore? cache = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new SyncEngine(
            store, options, o => HttpSyncTransport.Create(o, time), new SystemNetworkStatus(), ownsNetwork: true, time, SystemRandomSource.Instance, log, cache);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref started, 1) == 1)
        {
            throw new InvalidOperationException("The sync engine is already started.");
        }

        network.Changed += OnNetworkChanged;
        monitor.SetNetworkAvailable(IsNetworkUsable(options));
        var contend = Contends(options);
        await lease.StartAsync(contend, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref leadershipGained, 0);
        if (lease.IsLeader)
        {
            await RecoverAndPruneAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!contend && await lease.TryTakeOnceAsync(cancellationToken).ConfigureAwait(false))
        {
            // Not sending, but nobody else holds the lease either: a crash's leftovers can still be put back.
            await RecoverAndPruneAsync(cancellationToken).ConfigureAwait(false);
            await store.ReleaseLeaseAsync(lease.Owner, cancellationToken).ConfigureAwait(false);
        }

        await watcher.StartAsync(cancellationToken).ConfigureAwait(false);
        // Known offline after a restart; the first probe measures it again.
        storedClock = await store.GetServerClockAsync(cancellationToken).ConfigureAwait(false);
        serverClock.Restore(storedClock);
        Interlocked.Exchange(ref flushRequested, 1);
        pulls?.Schedule.Request();
        PublishState();
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        Signal();
    }

    public void Wake()
    {
        Interlocked.Exchange(ref flushRequested, 1);
        Signal();
    }

    public async Task<bool> SyncNowAsync(CancellationToken cancellationToken = default)
    {
        var current = options;
        if (current.WorkOffline || current.ServerUrl is null || Volatile.Read(ref started) == 0)
        {
            return false;
        }

        if (!lease.IsLeader && !await lease.RenewAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var eligible = await store.HasEligibleAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (eligible)
        {
            // An explicit request is worth one more try with the credentials we have.
            monitor.ClearAuthRequired();
        }

        if (!monitor.CanSend)
        {
            // ...and a fresh probe, even when the queue is still backing off: the user asked whether the server
            // is back, and an unreachable server's next scheduled probe may be up to ProbeMax away.
            monitor.ProbeNow();
            PublishState();
            Signal();
        }

        if (!eligible)
        {
            return false;
        }

        Interlocked.Exchange(ref syncNowRequested, 1);
        PublishState();
        Signal();
        return true;
    }

    public void SetWorkOffline(bool enabled)
    {
        options = options with { WorkOffline = enabled };
        monitor.SetWorkOffline(enabled);
        _ = UpdateContentionAsync();
        PublishState();
        Wake();
    }

    private string ServerWorkspace => options.ServerWorkspaceId ?? store.WorkspaceId;

    public void SetCredentials(string? token)
    {
        this.token = token;
        Interlocked.Increment(ref credentialsGeneration);
        Interlocked.Exchange(ref accountWanted, 1);
        if (monitor.Current == Connectivity.AuthRequired)
        {
            monitor.ClearAuthRequired();
            Log(SyncLogLevel.Info, "credentials changed: resuming sync");
        }

        if (monitor.Current == Connectivity.AccessRevoked)
        {
            // Other credentials may be allowed: ask at once instead of at the probe's backed-off time.
            monitor.ProbeNow();
        }

        // A pull refused for want of them is not retried otherwise, and another account may see other documents.
        pulls?.Schedule.Request();
        PublishState();
        Wake();
    }

    public void UpdateOptions(SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServerUrl is not null)
        {
            ServerUrlPolicy.EnsureAllowed(options.ServerUrl);
        }

        var previous = this.options;
        this.options = options;
        policy = new SyncPolicy(options, random);
        monitor.SetProbeRange(options.ProbeMin, options.ProbeMax);
        if (previous.ServerUrl != options.ServerUrl || previous.RequestTimeout != options.RequestTimeout)
        {
            Interlocked.Exchange(ref transportStale, 1);
        }

        if (previous.ServerUrl != options.ServerUrl)
        {
            monitor.SetServer(options.ServerUrl is not null);
            Interlocked.Exchange(ref accountWanted, 1);
            // Another server has its own clock; the next probe measures it.
            serverClock.Reset();
            storedClock = null;
        }

        monitor.SetWorkOffline(options.WorkOffline);
        monitor.SetNetworkAvailable(IsNetworkUsable(options));
        if (previous.Lease != options.Lease)
        {
            lease.SetDuration(options.Lease);
        }

        if (pulls is not null && options.CacheMaxBytes < previous.CacheMaxBytes)
        {
            _ = pulls.EvictAsync(options.CacheMaxBytes);
        }

        ResetPeriodicSchedule();
        _ = UpdateContentionAsync();
        PublishState();
        Wake();
    }

    public async Task<Operation?> ResolveConflictAsync(string id, ConflictResolution resolution, string? mergedPayloadJson, CancellationToken cancellationToken = default)
    {
        var operation = await store.ResolveConflictAsync(id, resolution, mergedPayloadJson, cancellationToken).ConfigureAwait(false);
        Wake();
        return operation;
    }

    public async Task<PullResult> PullAsync(CancellationToken cancellationToken = default)
    {
        if (pulls is null)
        {
            throw new InvalidOperationException("This sync engine has no op cache to pull into.");
        }

        var current = options;
        if (current.ServerUrl is null || current.WorkOffline)
        {
            throw new QueueException(
                QueueErrorKind.NotAvailableOffline, current.ServerUrl is null ? "cannot pull: no sync server is configured" : "cannot pull: working offline");
        }

        if (!lease.IsLeader && !await lease.RenewAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new QueueException(QueueErrorKind.InvalidState, "another window of this workspace is syncing; its pulls fill the shared cache");
        }

        if (!monitor.CanSend)
        {
            monitor.ProbeNow();
        }

        var pulled = pulls.Schedule.RequestAndWaitAsync(cancellationToken);
        Signal();
        return await pulled.ConfigureAwait(false);
    }

    public bool CancelPull() => pulls?.Schedule.Cancel() ?? false;

    public async Task<bool> FetchDocumentAsync(string entityId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        if (cache is null)
        {
            throw new InvalidOperationException("This sync engine has no op cache to fetch into.");
        }

        var current = options;
        if (current.ServerUrl is null || current.WorkOffline || !monitor.CanSend)
        {
            throw new QueueException(QueueErrorKind.NotAvailableOffline, $"{entityId} is not available offline: its content was evicted and the sync server cannot be reached now");
        }

        var read = await sideTransport.UseAsync(current, t => t.GetEntityAsync(ServerWorkspace, token, entityId, cancellationToken)).ConfigureAwait(false);
        switch (read.Kind)
        {
            case ServerReadKind.Ok:
                await cache.StoreFetchedAsync(read.Value!, cancellationToken).ConfigureAwait(false);
                return true;
            case ServerReadKind.NotFound:
                return false;
            default:
                throw new QueueException(QueueErrorKind.NotAvailableOffline, $"{entityId} is not available offline and could not be fetched: {read.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        network.Changed -= OnNetworkChanged;
        await watcher.DisposeAsync().ConfigureAwait(false);
        await lease.DisposeAsync().ConfigureAwait(false);
        DisposeTransport();
        sideTransport.Dispose();
        pulls?.Schedule.Fail(new QueueException(QueueErrorKind.NotAvailableOffline, "the sidecar is stopping"));
        ownedNetwork?.Dispose();
        stopping.Dispose();
    }

    private static bool Contends(SyncOptions current) => current.ServerUrl is not null && !current.WorkOffline;

    private bool IsNetworkUsable(SyncOptions current) => current.ServerUrl is { IsLoopback: true } || network.IsAvailable;

    private async Task UpdateContentionAsync()
    {
        try
        {
            await lease.SetContendingAsync(Contends(options), stopping.Token).ConfigureAwait(false);
            PublishState();
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Signal() => signal.Writer.TryWrite(true);

    private void OnNetworkChanged(object? sender, EventArgs e)
    {
        monitor.SetNetworkAvailable(IsNetworkUsable(options));
        monitor.NetworkChanged();
        PublishState();
        Signal();
    }

    private void OnLeadershipChanged(object? sender, bool isLeader)
    {
        if (isLeader)
        {
            Interlocked.Exchange(ref leadershipGained, 1);
            Log(SyncLogLevel.Info, "this sidecar is now the flusher");
        }

        PublishState();
        Signal();
    }

    private void OnCountsChanged(QueueCounts counts)
    {
        Raise(CountsChanged, counts);
        if (counts.Pending > 0 && lease.IsLeader)
        {
            // Another process may have enqueued: only a process-local Wake() would otherwise reach us.
            Wake();
        }
    }

    private SyncState BuildState() => new(
        monitor.Current,
        syncing,
        lastSyncedAt,
        lastError,
        options.ServerUrl?.ToString(),
        options.WorkOffline,
        lease.IsLeader,
        storedClock,
        lastSyncedTimestamp);

    private void PublishState()
    {
        SyncState next;
        lock (stateGate)
        {
            next = BuildState();
            if (next == state)
            {
                return;
            }

            state = next;
        }

        Raise(StateChanged, next);
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A listener's bug must not stop the worker.
            Log(SyncLogLevel.Error, $"sync event handler failed: {exception.Message}");
        }
    }

    private void Log(SyncLogLevel level, string message)
    {
        try
        {
            log(level, message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Logging is best effort; losing a line is better than losing the worker.
        }
    }
}
