using OfflineSidecar.Core.Connectivity;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Core.Sync.Pull;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// The engine's one worker: sleeps until a signal or the next thing that is due (a backoff, a probe, a periodic tick),
/// then probes, flushes and pulls. The only code that talks to the server for the queue; it owns the transport, the
/// schedule and the reactions to what the server answered.
/// </summary>
internal sealed class SyncLoop : IFlushOwner
{
    private readonly FlushServices services;
    private readonly INetworkStatus network;
    private readonly ConnectivityMonitor monitor;
    private readonly FlusherLease lease;
    private readonly SyncRequests requests;
    private readonly ServerClockKeeper clock;
    private readonly QueueUpkeep upkeep;
    private readonly PullRunner? pulls;
    private readonly WorkerTransport transport;
    private readonly SyncSchedule schedule = new();
    private readonly RequestReactions reactions;
    private readonly ServerChecks checks;

    // Loop only: a probe found the server again, so periodic mode flushes without waiting for its tick.
    private bool backOnline;

    public SyncLoop(
        FlushServices services,
        Func<SyncOptions, ISyncTransport> transportFactory,
        INetworkStatus network,
        ConnectivityMonitor monitor,
        FlusherLease lease,
        SyncRequests requests,
        ServerClockKeeper clock,
        QueueUpkeep upkeep,
        PullRunner? pulls)
    {
        this.services = services;
        this.network = network;
        this.monitor = monitor;
        this.lease = lease;
        this.requests = requests;
        this.clock = clock;
        this.upkeep = upkeep;
        this.pulls = pulls;
        transport = new WorkerTransport(transportFactory, clock, OnCircuitChanged);
        reactions = new RequestReactions(
            monitor, schedule, services.Status, services.Notifier, services.Settings, services.Credentials, requests, pulls?.Schedule, services.Time, services.Steady, services.Log);
        checks = new ServerChecks(monitor, reactions, services.Credentials, requests, services.Notifier, pulls?.Schedule, services.Time, services.Steady, services.Log);
    }

    public LoopSteps Steps { get; } = new();

    private SyncNotifier Notifier => services.Notifier;

    private DateTimeOffset Now => services.Steady.GetUtcNow();

    /// <summary>A loopback server needs no network; any other one needs the OS to report one.</summary>
    public static bool IsNetworkUsable(SyncOptions options, INetworkStatus network) => options.ServerUrl is { IsLoopback: true } || network.IsAvailable;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset? wakeAt;
            Steps.Start();
            try
            {
                await StepAsync(cancellationToken).ConfigureAwait(false);
                wakeAt = NextWakeAt();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                services.Log.Write(SyncLogLevel.Error, "sync worker step failed: " + exception.Message);
                reactions.SetLastError(new OperationError("internal", exception.Message));
                await upkeep.RecoverAfterFaultAsync(cancellationToken).ConfigureAwait(false);
                wakeAt = schedule.AfterFault(Now, services.Settings.Policy.Schedule);
            }

            Steps.Complete();
            try
            {
                await requests.Wakeup.WaitAsync(wakeAt, services.Steady, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>After the loop has ended.</summary>
    public void DisposeTransport() => transport.Dispose();

    bool IFlushOwner.MaySend() => CanFlushAt(Now);

    void IFlushOwner.ServerAnswered(DateTimeOffset at) => reactions.ServerAnswered(at);

    void IFlushOwner.Stopped(SendBatchResult stoppedBy, long credentials) => reactions.React(stoppedBy, credentials);

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        var current = services.Settings.Options;
        if (requests.TakeTransportStale())
        {
            RebuildTransport(current);
        }

        if (requests.TakeLeadershipGained() && lease.IsLeader)
        {
            // The previous flusher is gone: what it left syncing will never be answered, so it goes back to pending.
            await upkeep.RecoverAndPruneAsync(cancellationToken).ConfigureAwait(false);
        }

        if (requests.TakePeriodicStale())
        {
            schedule.NextPeriodicAt = null;
        }

        monitor.SetNetworkAvailable(IsNetworkUsable(current, network));
        if (await checks.ProbeIfDueAsync(transport.Current, cancellationToken).ConfigureAwait(false))
        {
            backOnline = true;
        }

        await SaveServerClockIfChangedAsync(cancellationToken).ConfigureAwait(false);
        Notifier.Publish();
        if (!await checks.IdentifyAccountIfWantedAsync(transport.Current, schedule.IsHeld(Now), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var now = Now;
        var syncNow = requests.TakeSyncNow();
        requests.TakeFlush();
        var wantFlush = current.Mode switch
        {
            SyncMode.Eager => true,
            SyncMode.Periodic => syncNow || backOnline || schedule.NextPeriodicAt <= now,
            _ => syncNow,
        };

        if (wantFlush && CanFlushAt(now))
        {
            backOnline = false;
            if (current.Mode == SyncMode.Periodic)
            {
                schedule.NextPeriodicAt = null;
            }

            if (await FlushAsync(cancellationToken).ConfigureAwait(false))
            {
                // What the flush changed on the server, and what others changed meanwhile, comes back with a pull.
                pulls?.Schedule.Request();
            }
        }

        await PullIfDueAsync(current, cancellationToken).ConfigureAwait(false);
        await RefreshScheduleAsync(current, cancellationToken).ConfigureAwait(false);
        await SaveServerClockIfChangedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One flush run; false when there was nothing to send. Its stop was reacted to as it happened.</summary>
    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var run = new FlushRun(services, transport.Current!, this);
        var result = await run.RunAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Ran)
        {
            return false;
        }

        await upkeep.PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task SaveServerClockIfChangedAsync(CancellationToken cancellationToken)
    {
        if (await clock.SaveIfChangedAsync(cancellationToken).ConfigureAwait(false))
        {
            Notifier.Publish();
        }
    }

    /// <summary>
    /// Pulls when one is due and the server can be asked. Between pages it stops for a flush that is waiting (the user's
    /// work goes first); the pull resumes from its cursor right after.
    /// </summary>
    private async Task PullIfDueAsync(SyncOptions current, CancellationToken cancellationToken)
    {
        if (pulls is null)
        {
            return;
        }

        var now = Now;
        if (!pulls.Schedule.IsDue(now))
        {
            return;
        }

        if (!CanFlushAt(now))
        {
            if (!schedule.IsHeld(now) && pulls.Schedule.HasWaiters)
            {
                pulls.Schedule.Fail(new QueueException(QueueErrorKind.NotAvailableOffline, $"cannot pull: the sync server is {Describe(monitor.Current)}"));
            }

            return;
        }

        var credentials = services.Credentials.Generation;
        await pulls.RunAsync(
            transport.Current!, services.Credentials.Token, current, () => requests.FlushWaiting, outcome => reactions.ReactToPull(outcome, credentials), cancellationToken)
            .ConfigureAwait(false);
    }

    private static string Describe(Connectivity connectivity) => connectivity switch
    {
        Connectivity.WorkingOffline => "off (working offline)",
        Connectivity.AuthRequired => "refusing our credentials (sign in)",
        Connectivity.AccessRevoked => "refusing access (revoked: an administrator must restore it)",
        Connectivity.Offline => "not reachable (no network or no server configured)",
        _ => "not reachable",
    };

    private bool CanFlushAt(DateTimeOffset now) =>
        transport.Current is not null && lease.IsLeader && monitor.CanSend && !schedule.IsHeld(now);

    private async Task RefreshScheduleAsync(SyncOptions current, CancellationToken cancellationToken)
    {
        schedule.NextDueAt = null;
        if (!lease.IsLeader || !monitor.CanSend)
        {
            return;
        }

        var store = services.Store;
        var now = Now;
        switch (current.Mode)
        {
            case SyncMode.Eager:
                var wallNow = services.Time.GetUtcNow();
                if (schedule.IsHeld(now) && await store.HasEligibleAsync(wallNow, cancellationToken).ConfigureAwait(false))
                {
                    // Work waits only for the hold (NextWakeAt makes it the hold's end), not for any row's backoff.
                    schedule.NextDueAt = now;
                    break;
                }

                var due = await store.GetNextDueAtAsync(cancellationToken).ConfigureAwait(false);
                // A backoff can run out between the flush's last claim and this read: then it is work for right
                // now, unless the store disagrees (nothing claimable), in which case waking for it would spin.
                // The row's time is on the wall clock: the loop waits for what is left of it, on its own clock.
                schedule.NextDueAt = due > wallNow || (due is not null && await store.HasEligibleAsync(wallNow, cancellationToken).ConfigureAwait(false))
                    ? now + (due.Value - wallNow)
                    : null;
                break;
            case SyncMode.Periodic when schedule.NextPeriodicAt is null:
                var counts = await store.GetCountsAsync(cancellationToken).ConfigureAwait(false);
                if (counts.Pending > 0)
                {
                    schedule.NextPeriodicAt = now + current.SyncInterval;
                }

                break;
        }
    }

    private DateTimeOffset? NextWakeAt()
    {
        var now = Now;
        DateTimeOffset? pullAt = pulls is null ? null : pulls.Schedule.IsDue(now) ? now : pulls.Schedule.NextPeriodicAt;
        return schedule.NextWakeAt(
            now,
            services.Settings.Options.Mode,
            maySend: lease.IsLeader && monitor.CanSend,
            probeAt: transport.Current is null ? null : monitor.NextProbeAt,
            pullAt);
    }

    private void RebuildTransport(SyncOptions current)
    {
        try
        {
            if (transport.Rebuild(current))
            {
                schedule.ForgetServer();
            }
        }
        catch
        {
            requests.TransportStale();
            throw;
        }
    }

    private void OnCircuitChanged(object? sender, TransportCircuitState circuit)
    {
        if (circuit == TransportCircuitState.Open)
        {
            services.Log.Write(SyncLogLevel.Warning, "circuit opened: the sync server keeps failing");
            monitor.RequestFailed();
            Notifier.Publish();
        }

        requests.Signal();
    }
}
