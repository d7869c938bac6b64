namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// When the loop should next send: the queue-wide hold after a failed request, the earliest row's backoff, the next
/// periodic sync, and how many requests failed in a row (the hold's backoff step). Every time here is on the monotonic
/// clock. The loop alone touches it; <see cref="NextWakeAt"/> is a pure function of it and what the caller passes.
/// </summary>
internal sealed class SyncSchedule
{
    /// <summary>Nothing is sent before this (a server that failed, throttled or asked for Retry-After).</summary>
    public DateTimeOffset? HoldUntil { get; set; }

    /// <summary>Eager mode: when the earliest backed-off row becomes eligible (now, when work waits only for the hold).</summary>
    public DateTimeOffset? NextDueAt { get; set; }

    /// <summary>Periodic mode: the next periodic flush; planned when there is pending work, cleared when it runs.</summary>
    public DateTimeOffset? NextPeriodicAt { get; set; }

    public int ConsecutiveFailures { get; private set; }

    public bool IsHeld(DateTimeOffset now) => HoldUntil > now;

    /// <summary>The whole queue holds off after a failed request; returns how long.</summary>
    public TimeSpan Hold(DateTimeOffset now, RetrySchedule retry, TimeSpan? retryAfter)
    {
        ConsecutiveFailures++;
        var delay = retry.NextDelay(ConsecutiveFailures, retryAfter);
        HoldUntil = now + delay;
        return delay;
    }

    /// <summary>A step failed unexpectedly: the next one waits like a failed request would, without holding the queue.</summary>
    public DateTimeOffset AfterFault(DateTimeOffset now, RetrySchedule retry)
    {
        ConsecutiveFailures++;
        return now + retry.NextDelay(ConsecutiveFailures);
    }

    public void ServerAnswered() => ConsecutiveFailures = 0;

    /// <summary>Another transport (server or timeout changed): what the old server asked for does not apply.</summary>
    public void ForgetServer()
    {
        HoldUntil = null;
        ConsecutiveFailures = 0;
    }

    /// <summary>
    /// The earliest thing worth waking for; null sleeps until a signal. Nothing here repeats while idle.
    /// </summary>
    /// <param name="now">The monotonic now.</param>
    /// <param name="mode">The sync mode: eager flushes when rows are due, periodic at its tick, manual never by itself.</param>
    /// <param name="maySend">This process holds the lease and the server can be sent to; otherwise only a probe wakes.</param>
    /// <param name="probeAt">The next connectivity probe (null without a transport).</param>
    /// <param name="pullAt">When a pull is due: now when it is due already, null without pulls or before the first.</param>
    public DateTimeOffset? NextWakeAt(DateTimeOffset now, SyncMode mode, bool maySend, DateTimeOffset? probeAt, DateTimeOffset? pullAt)
    {
        var wake = probeAt;
        if (!maySend)
        {
            return wake;
        }

        DateTimeOffset? flushAt = mode switch
        {
            SyncMode.Eager => NextDueAt,
            SyncMode.Periodic => NextPeriodicAt,
            _ => null,
        };

        // Eager work held back by the hold is due at its end even when no row's backoff says so.
        if (HoldUntil > now && (flushAt is not null || mode == SyncMode.Eager))
        {
            flushAt = flushAt > HoldUntil ? flushAt : HoldUntil;
        }

        wake = Earliest(wake, flushAt);
        return Earliest(wake, HoldUntil > pullAt ? HoldUntil : pullAt);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
