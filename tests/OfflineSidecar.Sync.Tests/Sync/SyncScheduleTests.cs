using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Worker;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Sync;

/// <summary>
/// The loop's schedule as plain values: when it next wakes is a function of the hold, the due and periodic times, the
/// probe and the pull, so each case is one line. Times are seconds after "now"; null is "not set".
/// </summary>
public sealed class SyncScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // mode, maySend, probe, pull, hold, due, periodic => wake
    [InlineData(SyncMode.Manual, false, null, null, null, null, null, null)] // nothing known: sleep until a signal
    [InlineData(SyncMode.Eager, false, 5, 1, 10, 1, null, 5)] // may not send: only the probe wakes
    [InlineData(SyncMode.Eager, true, 5, null, null, 3, null, 3)] // a row's backoff ends before the probe
    [InlineData(SyncMode.Eager, true, null, null, 8, 3, null, 8)] // the hold postpones the due row
    [InlineData(SyncMode.Eager, true, null, null, 8, null, null, 8)] // eager work waits for the hold's end
    [InlineData(SyncMode.Eager, true, null, null, 8, 12, null, 12)] // a row due after the hold keeps its time
    [InlineData(SyncMode.Eager, true, null, null, -1, null, null, null)] // a hold that is over wakes nobody
    [InlineData(SyncMode.Periodic, true, null, null, null, 3, 30, 30)] // periodic: its tick, not the rows' backoff
    [InlineData(SyncMode.Periodic, true, null, null, 8, null, null, null)] // no tick planned: the hold alone does not wake
    [InlineData(SyncMode.Periodic, true, null, null, 40, null, 30, 40)] // the tick waits for the hold
    [InlineData(SyncMode.Manual, true, null, null, 8, 3, 30, null)] // manual never flushes by itself
    [InlineData(SyncMode.Manual, true, 50, 20, null, null, null, 20)] // a periodic pull before the probe
    [InlineData(SyncMode.Eager, true, null, 0, 8, null, null, 8)] // a pull that is due waits for the hold too
    [InlineData(SyncMode.Eager, true, 5, 0, null, null, null, 0)] // a pull that is due wakes at once
    public void NextWakeAtIsTheEarliestThingWorthWakingFor(
        SyncMode mode, bool maySend, int? probe, int? pull, int? hold, int? due, int? periodic, int? expected)
    {
        var schedule = new SyncSchedule { HoldUntil = At(hold), NextDueAt = At(due), NextPeriodicAt = At(periodic) };

        var wake = schedule.NextWakeAt(Now, mode, maySend, At(probe), At(pull));

        Assert.Equal(At(expected), wake);
    }

    [Fact]
    public void EachHoldInARowBacksOffFurtherAndTheServersRetryAfterWins()
    {
        var retry = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new FixedRandom(1.0));
        var schedule = new SyncSchedule();

        var first = schedule.Hold(Now, retry, retryAfter: null);
        var second = schedule.Hold(Now, retry, retryAfter: null);
        var asked = schedule.Hold(Now, retry, retryAfter: TimeSpan.FromMinutes(5));

        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), (first, second));
        Assert.Equal(TimeSpan.FromMinutes(5), asked);
        Assert.Equal(Now + asked, schedule.HoldUntil);
        Assert.Equal(3, schedule.ConsecutiveFailures);
        Assert.True(schedule.IsHeld(Now));
        Assert.False(schedule.IsHeld(Now + asked));
    }

    [Fact]
    public void AnAnswerEndsTheStreakAndAnotherServerForgetsTheHold()
    {
        var retry = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new FixedRandom(1.0));
        var schedule = new SyncSchedule();
        schedule.Hold(Now, retry, null);
        schedule.Hold(Now, retry, null);

        schedule.ServerAnswered();
        Assert.Equal(0, schedule.ConsecutiveFailures);
        Assert.Equal(Now + TimeSpan.FromSeconds(1), schedule.AfterFault(Now, retry));
        Assert.True(schedule.IsHeld(Now));

        schedule.ForgetServer();
        Assert.Null(schedule.HoldUntil);
        Assert.Equal(0, schedule.ConsecutiveFailures);
    }

    private static DateTimeOffset? At(int? seconds) => seconds is { } s ? Now.AddSeconds(s) : null;
}
