namespace OfflineSidecar.Core.Clock;

/// <summary>
/// A clock for durations kept in memory (backoffs, probe schedules, "last synced … ago"): it reads the wall clock
/// once, then moves only with the monotonic timestamp, so a wall clock set back or forward by hours neither stalls
/// nor rushes a schedule. Never for times that are stored or shown as dates: those stay on the wall clock.
/// </summary>
public sealed class MonotonicTimeProvider : TimeProvider
{
    private readonly TimeProvider inner;
    private readonly DateTimeOffset anchor;
    private readonly long anchorStamp;

    public MonotonicTimeProvider(TimeProvider inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        this.inner = inner;
        anchor = inner.GetUtcNow();
        anchorStamp = inner.GetTimestamp();
    }

    public override DateTimeOffset GetUtcNow() => anchor + inner.GetElapsedTime(anchorStamp);

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
