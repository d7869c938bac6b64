using OfflineSidecar.Core.Sync;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Sync;

public sealed class RetryScheduleTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(60, 300)]
    public void CeilingDoublesFromBaseUpToCap(int attempt, double expectedSeconds)
    {
        var schedule = new RetrySchedule(Base, Cap, new FixedRandom(0));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), schedule.Ceiling(attempt));
    }

    [Fact]
    public void FullJitterSpansFromATenthOfBaseToTheCeiling()
    {
        var random = new FixedRandom(0);
        var schedule = new RetrySchedule(Base, Cap, random);
        Assert.Equal(TimeSpan.FromMilliseconds(200), schedule.NextDelay(3));
        random.Value = 0.5;
        Assert.Equal(TimeSpan.FromMilliseconds(200 + (7800 * 0.5)), schedule.NextDelay(3));
        random.Value = 0.999999;
        Assert.InRange(schedule.NextDelay(3), TimeSpan.FromMilliseconds(7999), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public void RetryAfterIsALowerBoundEvenAboveTheCap()
    {
        var schedule = new RetrySchedule(Base, Cap, new FixedRandom(0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.NextDelay(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromMinutes(10), schedule.NextDelay(20, TimeSpan.FromMinutes(10)));
        // A Retry-After shorter than the drawn wait does not shorten it.
        var drawn = schedule.NextDelay(8);
        Assert.Equal(drawn, schedule.NextDelay(8, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void DrawsDifferForDifferentRandomValues()
    {
        var random = new FixedRandom(0.1);
        var schedule = new RetrySchedule(Base, Cap, random);
        var first = schedule.NextDelay(5);
        random.Value = 0.9;
        Assert.True(schedule.NextDelay(5) > first);
    }

    [Fact]
    public void RejectsANonPositiveBase() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrySchedule(TimeSpan.Zero, Cap, new FixedRandom(0)));
}
