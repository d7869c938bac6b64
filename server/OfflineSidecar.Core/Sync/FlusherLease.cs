namespace OfflineSidecar.Core.Sync;

/// <summary>
/// Keeps (or keeps trying to take) the single-flusher lease of the data directory, renewing every third of its
/// duration on a <see cref="TimeProvider"/> timer. A follower tries on the same timer and the store grants an expired
/// lease to the first try at or after its expiry, so a dead leader is replaced at most lease + lease/3 after its last
/// renewal (plus one store call). Leadership is believed only until the last successful renewal's expiry, so a
/// stalled store cannot leave two leaders; a second timer announces that expiry when no renewal answered in time.
/// </summary>
internal sealed class FlusherLease : IAsyncDisposable
{
    private readonly ISyncStore store;
    private readonly TimeProvider time;
    private readonly Action<SyncLogLevel, string> log;
    private readonly SemaphoreSlim renewing = new(1, 1);
    private readonly Lock gate = new();
    private ITimer? timer;
    private ITimer? lapseTimer;
    private TimeSpan duration;
    private bool enabled;
    private bool held;
    private DateTimeOffset heldUntil;
    private bool announced;
    private bool disposed;

    public FlusherLease(ISyncStore store, string owner, TimeSpan duration, TimeProvider time, Action<SyncLogLevel, string> log)
    {
        this.store = store;
        Owner = owner;
        this.duration = duration;
        this.time = time;
        this.log = log;
    }

    public event EventHandler<bool>? LeadershipChanged;

    public string Owner { get; }

    public bool IsLeader
    {
        get
        {
            lock (gate)
            {
                return held && time.GetUtcNow() < heldUntil;
            }
        }
    }

    /// <summary>Starts contending (when enabled): one renewal now, then one every third of the lease.</summary>
    public async Task StartAsync(bool contend, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            enabled = contend;
            timer = time.CreateTimer(static s => ((FlusherLease)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            lapseTimer = time.CreateTimer(static s => ((FlusherLease)s!).OnLapse(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        if (contend)
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
        }

        Arm();
    }

    public void SetDuration(TimeSpan lease)
    {
        lock (gate)
        {
            duration = lease;
        }

        Arm();
    }

    /// <summary>A sidecar that cannot send (no server, working offline) must not keep the others from flushing.</summary>
    public async Task SetContendingAsync(bool contend, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (enabled == contend)
            {
                return;
            }

            enabled = contend;
        }

        if (contend)
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Takes or renews the lease now. True when held afterwards.</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        await renewing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TimeSpan lease;
            lock (gate)
            {
                if (!enabled || disposed)
                {
                    return false;
                }

                lease = duration;
            }

            var now = time.GetUtcNow();
            bool acquired;
            try
            {
                acquired = await store.TryAcquireLeaseAsync(Owner, lease, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                log(SyncLogLevel.Warning, "lease renewal failed: " + exception.Message);
                acquired = false;
            }

            SetHeld(acquired, now + lease);
            return acquired;
        }
        finally
        {
            renewing.Release();
        }
    }

    /// <summary>Takes the lease once without contending afterwards: enough to recover a crash's leftovers safely.</summary>
    public Task<bool> TryTakeOnceAsync(CancellationToken cancellationToken)
    {
        TimeSpan lease;
        lock (gate)
        {
            lease = duration;
        }

        return store.TryAcquireLeaseAsync(Owner, lease, time.GetUtcNow(), cancellationToken);
    }

    public async Task ReleaseAsync()
    {
        await renewing.WaitAsync().ConfigureAwait(false);
        try
        {
            var wasHeld = IsLeader;
            SetHeld(false, default);
            if (wasHeld)
            {
                await store.ReleaseLeaseAsync(Owner).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log(SyncLogLevel.Warning, "lease release failed: " + exception.Message);
        }
        finally
        {
            renewing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        ITimer? stopped;
        ITimer? stoppedLapse;
        lock (gate)
        {
            stopped = timer;
            stoppedLapse = lapseTimer;
            timer = null;
            lapseTimer = null;
        }

        if (stopped is not null)
        {
            await stopped.DisposeAsync().ConfigureAwait(false);
        }

        if (stoppedLapse is not null)
        {
            await stoppedLapse.DisposeAsync().ConfigureAwait(false);
        }

        await ReleaseAsync().ConfigureAwait(false);
        lock (gate)
        {
            disposed = true;
        }

        renewing.Dispose();
    }

    private void Arm()
    {
        lock (gate)
        {
            var period = duration / 3;
            timer?.Change(period, period);
        }
    }

    private void OnTimer()
    {
        if (renewing.CurrentCount == 0)
        {
            return;
        }

        _ = RenewInBackgroundAsync();
    }

    private async Task RenewInBackgroundAsync()
    {
        try
        {
            await RenewAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void SetHeld(bool nowHeld, DateTimeOffset until)
    {
        bool changed;
        bool live;
        lock (gate)
        {
            var now = time.GetUtcNow();
            // A renewal that answered after its own expiry holds nothing any more.
            live = nowHeld && now < until;
            // A gain is compared with what IsLeader said as well as with what was announced: a lease that lapsed
            // (announced or not) and is taken again must still wake the engine, which stopped flushing when it lapsed.
            var wasLeader = held && now < heldUntil;
            changed = live ? !wasLeader || !announced : announced;
            held = nowHeld;
            heldUntil = until;
            announced = live;
            lapseTimer?.Change(live ? until - now : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        if (changed)
        {
            LeadershipChanged?.Invoke(this, live);
        }
    }

    /// <summary>The held lease ran out and no renewal has answered since (it may be stuck in a busy store):
    /// announce the loss now, so the shown leader flag and the engine stop believing it.</summary>
    private void OnLapse()
    {
        lock (gate)
        {
            if (!announced || time.GetUtcNow() < heldUntil)
            {
                // Renewed (or released) since this timer was armed.
                return;
            }

            announced = false;
        }

        LeadershipChanged?.Invoke(this, false);
    }
}
