using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync;

public sealed partial class SyncEngine
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LongestSleep = TimeSpan.FromDays(1);

    // Touched by the loop only. Every DateTimeOffset here is on the monotonic clock (steady), except where it is
    // compared with the store's, which are on the wall clock.
    private ISyncTransport? transport;
    private DateTimeOffset? nextPeriodicAt;
    private DateTimeOffset? nextDueAt;
    private DateTimeOffset? holdUntil;
    private DateTimeOffset? lastPruneAt;
    private int consecutiveRequestFailures;
    private bool backOnline;
    private int periodicStale;

    // Steps started and finished, and a signal per finished step: a test that must show the loop did NOT act on
    // something awaits a step that began after it, instead of sleeping and hoping the loop had its turn.
    private long stepsStarted;
    private long stepsCompleted;
    private TaskCompletionSource stepCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many loop steps have begun; a step numbered above it starts after this read.</summary>
    internal long StepsStarted => Interlocked.Read(ref stepsStarted);

    /// <summary>Completes when step number <paramref name="step"/> (1-based) has finished.</summary>
    internal async Task WhenStepCompletedAsync(long step)
    {
        while (true)
        {
            var next = Volatile.Read(ref stepCompleted).Task;
            if (Interlocked.Read(ref stepsCompleted) >= step)
            {
                return;
            }

            await next.ConfigureAwait(false);
        }
    }

    private void CompleteStep()
    {
        Interlocked.Increment(ref stepsCompleted);
        Interlocked.Exchange(ref stepCompleted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset? wakeAt;
            Interlocked.Increment(ref stepsStarted);
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
                Log(SyncLogLevel.Error, "sync worker step failed: " + exception.Message);
                SetLastError(new OperationError("internal", exception.Message));
                await RecoverAfterFaultAsync(cancellationToken).ConfigureAwait(false);
                consecutiveRequestFailures++;
                wakeAt = steady.GetUtcNow() + policy.Schedule.NextDelay(consecutiveRequestFailures);
            }

            CompleteStep();
            try
            {
                await WaitAsync(wakeAt, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        var current = options;
        if (Interlocked.Exchange(ref transportStale, 0) == 1)
        {
            RebuildTransport(current);
        }

        if (Interlocked.Exchange(ref leadershipGained, 0) == 1 && lease.IsLeader)
        {
            // The previous flusher is gone: what it left syncing will never be answered, so it goes back to pending.
            await RecoverAndPruneAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref periodicStale, 0) == 1)
        {
            nextPeriodicAt = null;
        }

        monitor.SetNetworkAvailable(IsNetworkUsable(current));
        await ProbeIfDueAsync(cancellationToken).ConfigureAwait(false);
        await SaveServerClockIfChangedAsync(cancellationToken).ConfigureAwait(false);
        PublishState();
        if (!await IdentifyAccountIfWantedAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var now = steady.GetUtcNow();
        var syncNow = Interlocked.Exchange(ref syncNowRequested, 0) == 1;
        Interlocked.Exchange(ref flushRequested, 0);
        var wantFlush = current.Mode switch
        {
            SyncMode.Eager => true,
            SyncMode.Periodic => syncNow || backOnline || nextPeriodicAt <= now,
            _ => syncNow,
        };

        if (wantFlush && CanFlushAt(now))
        {
            backOnline = false;
            if (current.Mode == SyncMode.Periodic)
            {
                nextPeriodicAt = null;
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

    /// <summary>
    /// Readings arrive on request threads; the loop stores the estimate they changed, then shows it, so an operation
    /// enqueued after the status showed a skew carries its server time.
    /// </summary>
    private async Task SaveServerClockIfChangedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref clockUnsaved, 0) == 1 && serverClock.Current is { } estimate)
        {
            await store.SaveServerClockAsync(estimate, cancellationToken).ConfigureAwait(false);
            storedClock = estimate;
            PublishState();
        }
    }

    private void OnClockSampled(object? sender, ServerClockSample sample)
    {
        if (serverClock.Observe(sample))
        {
            Interlocked.Exchange(ref clockUnsaved, 1);
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

        var now = steady.GetUtcNow();
        if (!pulls.Schedule.IsDue(now))
        {
            return;
        }

        if (!CanFlushAt(now))
        {
            if (!(holdUntil > now) && pulls.Schedule.HasWaiters)
            {
                pulls.Schedule.Fail(new QueueException(QueueErrorKind.NotAvailableOffline, $"cannot pull: the sync server is {Describe(monitor.Current)}"));
            }

            return;
        }

        var credentials = Volatile.Read(ref credentialsGeneration);
        // The state follows the outcome before anyone waiting for the pull hears it, so what they read next agrees.
        await pulls.RunAsync(transport!, token, current, FlushIsWaiting, outcome => ReactToPull(outcome, credentials), cancellationToken).ConfigureAwait(false);
    }

    private void ReactToPull(PullOutcome outcome, long credentials)
    {
        switch (outcome.Stop)
        {
            case PullStop.Complete:
                NoteServerAnswered(time.GetUtcNow());
                PublishState();
                break;
            case PullStop.Failed when outcome.Failure is { } failure:
                React(failure, credentials);
                break;
            case PullStop.Malformed:
                SetLastError(new OperationError(SyncErrorCodes.ServerAnswerRefused, "the server's changes could not be used: " + outcome.Problem));
                break;
        }
    }

    /// <summary>
    /// Asks the server whose the credentials are before anything is sent with them: the host keeps each account's work
    /// apart by the answer. False when the server could not be asked (the step ends; the usual reaction to a failed
    /// request decides when to try again).
    /// </summary>
    private async Task<bool> IdentifyAccountIfWantedAsync(CancellationToken cancellationToken)
    {
        // Every window asks, not only the one that sends: each one's session must open the account's partition.
        var now = steady.GetUtcNow();
        if (Volatile.Read(ref accountWanted) == 0 || transport is null || !monitor.CanSend || holdUntil > now)
        {
            return true;
        }

        var credentials = Volatile.Read(ref credentialsGeneration);
        var asked = token;
        var answer = await transport!.GetAccountAsync(asked, cancellationToken).ConfigureAwait(false);
        switch (answer.Kind)
        {
            case ServerReadKind.Ok:
                if (credentials == Volatile.Read(ref credentialsGeneration))
                {
                    Interlocked.CompareExchange(ref accountWanted, 0, 1);
                    NoteServerAnswered(time.GetUtcNow());
                    Log(SyncLogLevel.Debug, "the credentials act for account " + answer.Value);
                    AccountIdentified?.Invoke(this, new AccountIdentity(asked, answer.Value!));
                }

                return true;
            case ServerReadKind.NotFound:
                // A server without accounts: the credentials alone keep work apart.
                Interlocked.CompareExchange(ref accountWanted, 0, 1);
                return true;
            case ServerReadKind.Failed when answer.Failure is { } failure:
                React(failure, credentials);
                return false;
            default:
                Interlocked.CompareExchange(ref accountWanted, 0, 1);
                Log(SyncLogLevel.Warning, "the server's whoami answer could not be used: " + answer.Message);
                return true;
        }
    }

    private bool FlushIsWaiting() => Volatile.Read(ref flushRequested) == 1 || Volatile.Read(ref syncNowRequested) == 1;

    private static string Describe(Connectivity connectivity) => connectivity switch
    {
        Connectivity.WorkingOffline => "off (working offline)",
        Connectivity.AuthRequired => "refusing our credentials (sign in)",
        Connectivity.AccessRevoked => "refusing access (revoked: an administrator must restore it)",
        Connectivity.Offline => "not reachable (no network or no server configured)",
        _ => "not reachable",
    };

    private bool CanFlushAt(DateTimeOffset now) =>
        transport is not null && lease.IsLeader && monitor.CanSend && !(holdUntil > now);

    private async Task ProbeIfDueAsync(CancellationToken cancellationToken)
    {
        if (transport is null || !(monitor.NextProbeAt <= steady.GetUtcNow()))
        {
            return;
        }

        if (monitor.Current == Connectivity.AccessRevoked)
        {
            await ProbeAccessAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await transport.ProbeAsync(cancellationToken).ConfigureAwait(false))
        {
            monitor.ProbeSucceeded();
            backOnline = true;
            pulls?.Schedule.Request();
            Log(SyncLogLevel.Info, "sync server reachable");
        }
        else
        {
            monitor.ProbeFailed();
            Log(SyncLogLevel.Debug, "sync server not answering its health check");
        }
    }

    /// <summary>
    /// Asks GET /sync/whoami whether our credentials may act again: a bearer request that sends nothing, so a refusal
    /// costs no operation an attempt. A server without whoami (404) cannot say: sending resumes, and its first batch
    /// (one, while the pipeline opens) tells; a 403 there is recorded without an attempt too.
    /// </summary>
    private async Task ProbeAccessAsync(CancellationToken cancellationToken)
    {
        var credentials = Volatile.Read(ref credentialsGeneration);
        var answer = await transport!.GetAccountAsync(token, cancellationToken).ConfigureAwait(false);
        if (answer.Kind != ServerReadKind.Failed)
        {
            monitor.AccessRestored();
            backOnline = true;
            pulls?.Schedule.Request();
            Interlocked.Exchange(ref flushRequested, 1);
            Log(SyncLogLevel.Info, "access to the sync server is back: sending resumes");
            return;
        }

        if (answer.Failure is { Kind: SendBatchResultKind.AuthFailed } refused)
        {
            // The credentials themselves are refused now: that asks for a sign-in, and the access probe follows it.
            React(refused, credentials);
            return;
        }

        // Still 403, or no answer: the next access probe backs off either way.
        monitor.AccessRevoked();
        Log(SyncLogLevel.Debug, "access to the sync server is still refused: " + answer.Message);
    }

    private async Task RefreshScheduleAsync(SyncOptions current, CancellationToken cancellationToken)
    {
        nextDueAt = null;
        if (!lease.IsLeader || !monitor.CanSend)
        {
            return;
        }

        var now = steady.GetUtcNow();
        switch (current.Mode)
        {
            case SyncMode.Eager:
                var wallNow = time.GetUtcNow();
                if (holdUntil > now && await store.HasEligibleAsync(wallNow, cancellationToken).ConfigureAwait(false))
                {
                    // Work waits only for the hold (NextWakeAt makes it the hold's end), not for any row's backoff.
                    nextDueAt = now;
                    break;
                }

                var due = await store.GetNextDueAtAsync(cancellationToken).ConfigureAwait(false);
                // A backoff can run out between the flush's last claim and this read: then it is work for right
                // now, unless the store disagrees (nothing claimable), in which case waking for it would spin.
                // The row's time is on the wall clock: the loop waits for what is left of it, on its own clock.
                nextDueAt = due > wallNow || (due is not null && await store.HasEligibleAsync(wallNow, cancellationToken).ConfigureAwait(false))
                    ? now + (due.Value - wallNow)
                    : null;
                break;
            case SyncMode.Periodic when nextPeriodicAt is null:
                var counts = await store.GetCountsAsync(cancellationToken).ConfigureAwait(false);
                if (counts.Pending > 0)
                {
                    nextPeriodicAt = now + current.SyncInterval;
                }

                break;
        }
    }

    /// <summary>The earliest thing worth waking for; null sleeps until a signal. Nothing here repeats while idle.</summary>
    private DateTimeOffset? NextWakeAt()
    {
        var now = steady.GetUtcNow();
        DateTimeOffset? wake = transport is null ? null : monitor.NextProbeAt;
        if (lease.IsLeader && monitor.CanSend)
        {
            var mode = options.Mode;
            DateTimeOffset? flushAt = mode switch
            {
                SyncMode.Eager => nextDueAt,
                SyncMode.Periodic => nextPeriodicAt,
                _ => null,
            };

            if (holdUntil > now && (flushAt is not null || mode == SyncMode.Eager))
            {
                flushAt = flushAt > holdUntil ? flushAt : holdUntil;
            }

            wake = Earliest(wake, flushAt);
            if (pulls is not null)
            {
                DateTimeOffset? pullAt = pulls.Schedule.IsDue(now) ? now : pulls.Schedule.NextPeriodicAt;
                wake = Earliest(wake, holdUntil > pullAt ? holdUntil : pullAt);
            }
        }

        return wake;
    }

    private async Task WaitAsync(DateTimeOffset? wakeAt, CancellationToken cancellationToken)
    {
        if (signal.Reader.TryRead(out _))
        {
            return;
        }

        if (wakeAt is { } at)
        {
            var delay = at - steady.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                return;
            }

            using var timeout = new CancellationTokenSource(delay > LongestSleep ? LongestSleep : delay, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await signal.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
        else
        {
            await signal.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }

        signal.Reader.TryRead(out _);
    }

    private void RebuildTransport(SyncOptions current)
    {
        DisposeTransport();
        if (current.ServerUrl is null)
        {
            return;
        }

        try
        {
            transport = transportFactory(current);
        }
        catch
        {
            Interlocked.Exchange(ref transportStale, 1);
            throw;
        }

        transport.CircuitChanged += OnCircuitChanged;
        transport.ClockSampled += OnClockSampled;
        holdUntil = null;
        consecutiveRequestFailures = 0;
    }

    private void DisposeTransport()
    {
        if (transport is null)
        {
            return;
        }

        transport.CircuitChanged -= OnCircuitChanged;
        transport.ClockSampled -= OnClockSampled;
        transport.Dispose();
        transport = null;
    }

    private void OnCircuitChanged(object? sender, TransportCircuitState circuit)
    {
        if (circuit == TransportCircuitState.Open)
        {
            Log(SyncLogLevel.Warning, "circuit opened: the sync server keeps failing");
            monitor.RequestFailed();
            PublishState();
        }

        Signal();
    }

    private async Task RecoverAndPruneAsync(CancellationToken cancellationToken)
    {
        var recovered = await store.RecoverInterruptedAsync(cancellationToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            Log(SyncLogLevel.Info, $"{recovered} interrupted operations are pending again");
        }

        await PruneAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        if (lastPruneAt is { } last && steady.GetUtcNow() - last < PruneEvery)
        {
            return;
        }

        await PruneAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        lastPruneAt = steady.GetUtcNow();
        var pruned = await store.PruneSucceededAsync(time.GetUtcNow() - options.SucceededRetention, cancellationToken).ConfigureAwait(false);
        if (pruned > 0)
        {
            Log(SyncLogLevel.Debug, $"pruned {pruned} succeeded operations");
        }
    }

    private async Task RecoverAfterFaultAsync(CancellationToken cancellationToken)
    {
        if (!lease.IsLeader)
        {
            return;
        }

        try
        {
            // Nothing is in flight between steps, so whatever this leader left syncing was abandoned by the fault.
            await store.RecoverInterruptedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            Log(SyncLogLevel.Warning, "recovery after a fault failed: " + exception.Message);
        }
    }

    private void ResetPeriodicSchedule() => Interlocked.Exchange(ref periodicStale, 1);

    private void SetLastError(OperationError? error)
    {
        lastError = error;
        PublishState();
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
