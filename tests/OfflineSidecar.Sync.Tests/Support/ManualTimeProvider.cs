namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>
/// A clock that moves only when a test says so (Microsoft.Extensions.TimeProvider.Testing is not on the mirror).
/// Timers due at or before the new time fire in due order, synchronously, inside <see cref="Advance"/>; a timer
/// armed with a due time of zero fires at once, like a real one would almost at once. <see cref="SetWallClockBy"/>
/// changes only what <see cref="GetUtcNow"/> says, as a user or NTP setting the system clock does: timestamps and
/// timers go on undisturbed, as the monotonic clock does.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private DateTimeOffset now;
    private TimeSpan wallShift;

    public ManualTimeProvider(DateTimeOffset start) => now = start;

    public ManualTimeProvider() : this(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)) { }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public int ActiveTimers
    {
        get
        {
            lock (gate)
            {
                return timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now + wallShift;
        }
    }

    public override long GetTimestamp()
    {
        lock (gate)
        {
            return now.UtcTicks;
        }
    }

    /// <summary>The wall clock is set forward (or, negative, back) by <paramref name="by"/>; no time passes.</summary>
    public void SetWallClockBy(TimeSpan by)
    {
        lock (gate)
        {
            wallShift += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (gate)
        {
            timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (gate)
        {
            target = now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                if (next is null)
                {
                    now = target;
                    return;
                }

                if (next.DueAt > now)
                {
                    now = next.DueAt.Value;
                }

                next.Rearm();
            }

            next.Fire();
        }
    }

    private void FireDue()
    {
        while (true)
        {
            ManualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.DueAt <= now).OrderBy(t => t.DueAt).FirstOrDefault();
                if (next is null)
                {
                    return;
                }

                next.Rearm();
            }

            next.Fire();
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan period = Timeout.InfiniteTimeSpan;

        /// <summary>Guarded by the owner's lock.</summary>
        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner.gate)
            {
                this.period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.now + dueTime;
            }

            owner.FireDue();
            return true;
        }

        /// <summary>Called under the owner's lock just before firing.</summary>
        public void Rearm() =>
            DueAt = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : DueAt + period;

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner.gate)
            {
                DueAt = null;
            }

            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
