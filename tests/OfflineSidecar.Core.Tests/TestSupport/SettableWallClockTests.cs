using OfflineSidecar.Testing;

namespace OfflineSidecar.Core.Tests.TestSupport;

public sealed class SettableWallClockTests
{
    [Fact]
    public void Setting_the_wall_clock_moves_neither_timestamps_nor_timers()
    {
        var clock = new SettableWallClock();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        var stamp = clock.GetTimestamp();
        var wall = clock.GetUtcNow();

        clock.SetWallClockBy(TimeSpan.FromHours(-5));

        Assert.Equal(wall - TimeSpan.FromHours(5), clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetElapsedTime(stamp));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);
        Assert.Equal(TimeSpan.FromSeconds(1), clock.GetElapsedTime(stamp));
        Assert.Equal(wall - TimeSpan.FromHours(5) + TimeSpan.FromSeconds(1), clock.GetUtcNow());
    }

    [Fact]
    public void A_timer_due_now_fires_at_once_as_a_real_one_would()
    {
        var clock = new SettableWallClock();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(1, fired);
    }
}
