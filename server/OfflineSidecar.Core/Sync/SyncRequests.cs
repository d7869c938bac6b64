using System.Threading.Channels;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// What callers on any thread asked of the loop, and the signal that wakes it. Public members of the engine only
/// record intent here; the loop takes each request (reading and clearing it at once) when its step comes.
/// </summary>
internal sealed class SyncRequests
{
    private static readonly TimeSpan LongestSleep = TimeSpan.FromDays(1);

    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int flush;
    private int syncNow;
    private int transportStale = 1;
    private int leadershipGained;
    private int periodicStale;
    private int accountWanted = 1;

    // Completed while the loop is parked with nothing to wake it (and before it starts). Cleared synchronously by
    // whatever wakes it, so a test that moved the fake clock can await the step the move caused, if any, then idleness.
    private readonly Lock idleGate = new();
    private TaskCompletionSource idle = Completed();

    /// <summary>Wakes the loop; several signals before it wakes count as one.</summary>
    public void Signal()
    {
        // Under the idle gate: the loop cannot park (and call itself idle) between the write and the wake being noted.
        lock (idleGate)
        {
            signal.Writer.TryWrite(true);
            NotIdle();
        }
    }

    /// <summary>Completes once the loop is parked with no signal or due timer pending: whatever it had to do, it did.</summary>
    public Task WhenIdleAsync()
    {
        lock (idleGate)
        {
            return idle.Task;
        }
    }

    /// <summary>Something may be worth sending: flush at the next step (eager mode sends anyway).</summary>
    public void Flush()
    {
        Interlocked.Exchange(ref flush, 1);
        Signal();
    }

    /// <summary>Records the user's explicit request without waking (the caller publishes the state first).</summary>
    public void SyncNow() => Interlocked.Exchange(ref syncNow, 1);

    /// <summary>For callers already on the loop (or about to signal it): no extra wake-up.</summary>
    public void FlushAtNextStep() => Interlocked.Exchange(ref flush, 1);

    public void TransportStale() => Interlocked.Exchange(ref transportStale, 1);

    public void LeadershipGained() => Interlocked.Exchange(ref leadershipGained, 1);

    /// <summary>The periodic sync interval changed: the next one is planned afresh.</summary>
    public void PeriodicStale() => Interlocked.Exchange(ref periodicStale, 1);

    public void AccountWanted() => Interlocked.Exchange(ref accountWanted, 1);

    /// <summary>A flush or sync-now is waiting: a pull yields to it between pages.</summary>
    public bool FlushWaiting => Volatile.Read(ref flush) == 1 || Volatile.Read(ref syncNow) == 1;

    public bool IsAccountWanted => Volatile.Read(ref accountWanted) == 1;

    public bool TakeSyncNow() => Interlocked.Exchange(ref syncNow, 0) == 1;

    public void TakeFlush() => Interlocked.Exchange(ref flush, 0);

    public bool TakeTransportStale() => Interlocked.Exchange(ref transportStale, 0) == 1;

    public bool TakeLeadershipGained() => Interlocked.Exchange(ref leadershipGained, 0) == 1;

    public bool TakePeriodicStale() => Interlocked.Exchange(ref periodicStale, 0) == 1;

    /// <summary>The account is known, or the server cannot say: nobody asks again until the credentials or server change.</summary>
    public void AccountKnown() => Interlocked.CompareExchange(ref accountWanted, 0, 1);

    /// <summary>Sleeps until a signal or <paramref name="wakeAt"/> (on <paramref name="steady"/>); null waits for a signal only.</summary>
    public async Task WaitAsync(DateTimeOffset? wakeAt, TimeProvider steady, CancellationToken cancellationToken)
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

            using var timeout = new CancellationTokenSource(delay > LongestSleep ? LongestSleep : delay, steady);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            // Registered after the linked source, so it runs first (callbacks run last-in first-out): the wake is
            // noted inside the timer's callback, before the loop's continuation is even scheduled.
            using var wake = timeout.Token.Register(static s => ((SyncRequests)s!).Woken(), this);
            try
            {
                Parked();
                await signal.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
        else
        {
            Parked();
            await signal.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }

        signal.Reader.TryRead(out _);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private void Parked()
    {
        lock (idleGate)
        {
            // A signal written since the loop last looked wakes it at once: not idle.
            if (!signal.Reader.TryPeek(out _))
            {
                idle.TrySetResult();
            }
        }
    }

    private void Woken()
    {
        lock (idleGate)
        {
            NotIdle();
        }
    }

    /// <summary>Under <see cref="idleGate"/>.</summary>
    private void NotIdle()
    {
        if (idle.Task.IsCompleted)
        {
            idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
