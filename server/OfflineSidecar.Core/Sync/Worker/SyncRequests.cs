namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// What callers on any thread asked of the loop, and the signal that wakes it (<see cref="LoopSignal"/>). Public members of the engine only
/// record intent here; the loop takes each request (reading and clearing it at once) when its step comes.
/// </summary>
internal sealed class SyncRequests
{
    private int flush;
    private int syncNow;
    private int transportStale = 1;
    private int leadershipGained;
    private int periodicStale;
    private int accountWanted = 1;

    /// <summary>What the loop sleeps on between steps.</summary>
    public LoopSignal Wakeup { get; } = new();

    /// <summary>Wakes the loop; several signals before it wakes count as one.</summary>
    public void Signal() => Wakeup.Signal();

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

    /// <summary>The options changed: the next periodic flush is planned afresh, on the new interval.</summary>
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
}
