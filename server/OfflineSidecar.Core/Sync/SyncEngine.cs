using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Connectivity;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Core.Sync.Pull;
using OfflineSidecar.Core.Sync.Worker;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// The sync engine of one workspace, as the host sees it. Public members only record intent (in
/// <see cref="SyncRequests"/>) and signal the <see cref="SyncLoop"/>, which alone talks to the transport; a flush is a
/// <see cref="FlushRun"/>, what the engine tells listeners goes through <see cref="SyncNotifier"/>.
/// </summary>
public sealed class SyncEngine : ISyncEngine
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(500);

    private readonly ISyncStore store;
    private readonly INetworkStatus network;
    private readonly IDisposable? ownedNetwork;
    private readonly TimeProvider time;
    private readonly SyncLog log;
    private readonly SyncSettings settings;
    private readonly SyncCredentials credentials = new();
    private readonly SyncRequests requests = new();
    private readonly SyncStatus status;
    private readonly SyncNotifier notifier;
    private readonly ServerClockKeeper clock;
    private readonly ConnectivityMonitor monitor;
    private readonly FlusherLease lease;
    private readonly StoreChangeWatcher watcher;
    private readonly QueueUpkeep upkeep;
    private readonly ICacheStore? cache;
    private readonly PullRunner? pulls;
    private readonly SideTransport sideTransport;
    private readonly SyncLoop worker;
    private readonly CancellationTokenSource stopping = new();

    private Task? loop;
    private int started;
    private int disposed;

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
        this.network = network;
        ownedNetwork = ownsNetwork ? network as IDisposable : null;
        this.time = time;
        // Every schedule and duration kept in memory runs on this one; times stored or shown stay on the wall clock.
        var steady = new MonotonicTimeProvider(time);
        this.log = new SyncLog(log);
        settings = new SyncSettings(options, random);
        status = new SyncStatus(time);
        clock = new ServerClockKeeper(store);
        monitor = new ConnectivityMonitor(steady, options.ProbeMin, options.ProbeMax);
        monitor.SetServer(options.ServerUrl is not null);
        monitor.SetWorkOffline(options.WorkOffline);
        lease = new FlusherLease(store, ProcessOwner.NewName(), options.Lease, time, this.log.AsAction());
        lease.LeadershipChanged += OnLeadershipChanged;
        notifier = new SyncNotifier(this, BuildState, this.log);
        watcher = new StoreChangeWatcher(store, time, WatchInterval, OnCountsChanged, this.log.AsAction());
        upkeep = new QueueUpkeep(store, settings, time, steady, lease, this.log);
        this.cache = cache;
        pulls = cache is null ? null : new PullRunner(cache, options.ServerWorkspaceId ?? cache.WorkspaceId, steady, notifier.Report, this.log.AsAction());
        sideTransport = new SideTransport(transportFactory);
        var flushing = new FlushServices(
            store, time, steady, settings, credentials, watcher, new AttachmentUploader(store), new ConflictMerger(cache), status, notifier, this.log);
        worker = new SyncLoop(flushing, transportFactory, network, monitor, lease, requests, clock, upkeep, pulls);
        notifier.Publish();
    }

    public event EventHandler<SyncState>? StateChanged
    {
        add => notifier.StateChanged += value;
        remove => notifier.StateChanged -= value;
    }

    public event EventHandler<SyncEvent>? SyncEventRaised
    {
        add => notifier.SyncEventRaised += value;
        remove => notifier.SyncEventRaised -= value;
    }

    public event EventHandler<SyncProgress>? ProgressReported
    {
        add => notifier.ProgressReported += value;
        remove => notifier.ProgressReported -= value;
    }

    public event EventHandler<QueueCounts>? CountsChanged
    {
        add => notifier.CountsChanged += value;
        remove => notifier.CountsChanged -= value;
    }

    public event EventHandler<AccountIdentity>? AccountIdentified
    {
        add => notifier.AccountIdentified += value;
        remove => notifier.AccountIdentified -= value;
    }

    /// <summary>How many loop steps have begun; a step numbered above it starts after this read.</summary>
    internal long StepsStarted => worker.Steps.Started;

    /// <summary>How many loop steps have finished.</summary>
    internal long StepsCompleted => worker.Steps.Completed;

    /// <summary>Completes when loop step number <paramref name="step"/> (1-based) has finished.</summary>
    internal Task WhenStepCompletedAsync(long step) => worker.Steps.WhenCompletedAsync(step);

    /// <summary>
    /// Completes once the loop is parked with no signal or due timer pending (at once before it starts): a test that
    /// moved the fake clock awaits this to know the loop did whatever the move made due.
    /// </summary>
    internal Task WhenLoopIdleAsync() => Volatile.Read(ref loop) is null ? Task.CompletedTask : requests.Wakeup.WhenIdleAsync();

    /// <summary>
    /// The last published state, except that <see cref="SyncState.IsLeader"/> is the lease's live answer: a lease
    /// that lapsed while its renewal is still stuck in the store stops counting at its expiry, not when we hear back.
    /// </summary>
    public SyncState State
    {
        get
        {
            var isLeader = lease.IsLeader;
            var state = notifier.State;
            return state.IsLeader == isLeader ? state : state with { IsLeader = isLeader };
        }
    }

    /// <summary>The counts last read from the store (this process's or another's commits).</summary>
    public QueueCounts Counts => watcher.Counts;

    private SyncOptions Options => settings.Options;

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
        monitor.SetNetworkAvailable(SyncLoop.IsNetworkUsable(Options, network));
        var contend = Contends(Options);
        await lease.StartAsync(contend, cancellationToken).ConfigureAwait(false);
        // Whatever leadership the start gained is recovered right here, not again by the loop.
        requests.TakeLeadershipGained();
        if (lease.IsLeader)
        {
            await upkeep.RecoverAndPruneAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!contend && await lease.TryTakeOnceAsync(cancellationToken).ConfigureAwait(false))
        {
            // Not sending, but nobody else holds the lease either: a crash's leftovers can still be put back.
            await upkeep.RecoverAndPruneAsync(cancellationToken).ConfigureAwait(false);
            await store.ReleaseLeaseAsync(lease.Owner, cancellationToken).ConfigureAwait(false);
        }

        await watcher.StartAsync(cancellationToken).ConfigureAwait(false);
        await clock.RestoreAsync(cancellationToken).ConfigureAwait(false);
        requests.FlushAtNextStep();
        pulls?.Schedule.Request();
        notifier.Publish();
        loop = Task.Run(() => worker.RunAsync(stopping.Token), CancellationToken.None);
        requests.Signal();
    }

    public void Wake() => requests.Flush();

    public async Task<bool> SyncNowAsync(CancellationToken cancellationToken = default)
    {
        var current = Options;
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
            notifier.Publish();
            requests.Signal();
        }

        if (!eligible)
        {
            return false;
        }

        requests.SyncNow();
        notifier.Publish();
        requests.Signal();
        return true;
    }

    public void SetWorkOffline(bool enabled)
    {
        settings.SetWorkOffline(enabled);
        monitor.SetWorkOffline(enabled);
        _ = UpdateContentionAsync();
        notifier.Publish();
        Wake();
    }

    public void SetCredentials(string? token)
    {
        credentials.Set(token);
        requests.AccountWanted();
        if (monitor.Current == Connectivity.AuthRequired)
        {
            monitor.ClearAuthRequired();
            log.Write(SyncLogLevel.Info, "credentials changed: resuming sync");
        }

        if (monitor.Current == Connectivity.AccessRevoked)
        {
            // Other credentials may be allowed: ask at once instead of at the probe's backed-off time.
            monitor.ProbeNow();
        }

        // A pull refused for want of them is not retried otherwise, and another account may see other documents.
        pulls?.Schedule.Request();
        notifier.Publish();
        Wake();
    }

    public void UpdateOptions(SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServerUrl is not null)
        {
            ServerUrlPolicy.EnsureAllowed(options.ServerUrl);
        }

        var previous = Options;
        settings.Replace(options);
        monitor.SetProbeRange(options.ProbeMin, options.ProbeMax);
        if (previous.ServerUrl != options.ServerUrl || previous.RequestTimeout != options.RequestTimeout)
        {
            requests.TransportStale();
        }

        if (previous.ServerUrl != options.ServerUrl)
        {
            monitor.SetServer(options.ServerUrl is not null);
            requests.AccountWanted();
            clock.Reset();
        }

        monitor.SetWorkOffline(options.WorkOffline);
        monitor.SetNetworkAvailable(SyncLoop.IsNetworkUsable(options, network));
        if (previous.Lease != options.Lease)
        {
            lease.SetDuration(options.Lease);
        }

        if (pulls is not null && options.CacheMaxBytes < previous.CacheMaxBytes)
        {
            _ = pulls.EvictAsync(options.CacheMaxBytes);
        }

        requests.PeriodicStale();
        _ = UpdateContentionAsync();
        notifier.Publish();
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

        var current = Options;
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
        requests.Signal();
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

        var current = Options;
        if (current.ServerUrl is null || current.WorkOffline || !monitor.CanSend)
        {
            throw new QueueException(QueueErrorKind.NotAvailableOffline, $"{entityId} is not available offline: its content was evicted and the sync server cannot be reached now");
        }

        var workspace = current.ServerWorkspaceId ?? store.WorkspaceId;
        var read = await sideTransport.UseAsync(current, t => t.GetEntityAsync(workspace, credentials.Token, entityId, cancellationToken)).ConfigureAwait(false);
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
        worker.DisposeTransport();
        sideTransport.Dispose();
        pulls?.Schedule.Fail(new QueueException(QueueErrorKind.NotAvailableOffline, "the sidecar is stopping"));
        ownedNetwork?.Dispose();
        stopping.Dispose();
    }

    private static bool Contends(SyncOptions current) => current.ServerUrl is not null && !current.WorkOffline;

    private async Task UpdateContentionAsync()
    {
        try
        {
            await lease.SetContendingAsync(Contends(Options), stopping.Token).ConfigureAwait(false);
            notifier.Publish();
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnNetworkChanged(object? sender, EventArgs e)
    {
        monitor.SetNetworkAvailable(SyncLoop.IsNetworkUsable(Options, network));
        monitor.NetworkChanged();
        notifier.Publish();
        requests.Signal();
    }

    private void OnLeadershipChanged(object? sender, bool isLeader)
    {
        if (isLeader)
        {
            requests.LeadershipGained();
            log.Write(SyncLogLevel.Info, "this sidecar is now the flusher");
        }

        notifier.Publish();
        requests.Signal();
    }

    private void OnCountsChanged(QueueCounts counts)
    {
        notifier.Counts(counts);
        if (counts.Pending > 0 && lease.IsLeader)
        {
            // Another process may have enqueued: only a process-local Wake() would otherwise reach us.
            Wake();
        }
    }

    private SyncState BuildState()
    {
        var current = Options;
        return new SyncState(
            monitor.Current,
            status.Syncing,
            status.LastSyncedAt,
            status.LastError,
            current.ServerUrl?.ToString(),
            current.WorkOffline,
            lease.IsLeader,
            clock.Stored,
            status.LastSyncedTimestamp);
    }
}
