using OfflineSidecar.Core.Clock;

namespace OfflineSidecar.Sync.Tests.Sync;

public sealed class ServerClockTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_offset_is_the_server_time_minus_the_middle_of_the_round_trip()
    {
        // Sent at 10:00:00.000, back 200 ms later; the server read 12:00:00.100, halfway: exactly two hours ahead.
        var sample = new ServerClockSample(SentAt.AddHours(2).AddMilliseconds(100), TimeSpan.Zero, SentAt, TimeSpan.FromMilliseconds(200));

        Assert.Equal(TimeSpan.FromHours(2), sample.Offset);
        Assert.Equal(TimeSpan.FromMilliseconds(100), sample.Uncertainty);
        Assert.Equal(TimeSpan.FromHours(-2), ServerClockEstimate.From(sample).LocalAhead);
    }

    [Fact]
    public void A_date_header_corrects_the_estimate_only_when_both_cannot_be_right()
    {
        var clock = new ServerClock();
        Assert.True(clock.Observe(new ServerClockSample(SentAt.AddMilliseconds(10), TimeSpan.Zero, SentAt, TimeSpan.FromMilliseconds(20))));
        Assert.Equal(TimeSpan.Zero, clock.Current!.Offset);

        // Whole seconds: 10:00:01 said by a server whose clock agrees with ours within its uncertainty.
        Assert.False(clock.Observe(ServerClockSample.FromDateHeader(SentAt.AddSeconds(1), SentAt.AddSeconds(1).AddMilliseconds(300), TimeSpan.FromMilliseconds(20))));
        Assert.Equal(TimeSpan.Zero, clock.Current!.Offset);

        // The server's clock was set back an hour since the probe.
        Assert.True(clock.Observe(ServerClockSample.FromDateHeader(SentAt.AddMinutes(1).AddHours(-1), SentAt.AddMinutes(1), TimeSpan.FromMilliseconds(20))));
        Assert.InRange(clock.Current!.Offset, TimeSpan.FromHours(-1), TimeSpan.FromHours(-1) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_stored_estimate_stays_until_a_precise_reading_or_a_header_that_disagrees()
    {
        var clock = new ServerClock();
        var stored = new ServerClockEstimate(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(6), SentAt.AddDays(-1));
        clock.Restore(stored);

        Assert.False(clock.Observe(ServerClockSample.FromDateHeader(SentAt.AddMinutes(10), SentAt, TimeSpan.FromMilliseconds(20))));
        Assert.Equal(stored, clock.Current);
        Assert.True(clock.Observe(ServerClockSample.FromDateHeader(SentAt, SentAt, TimeSpan.FromMilliseconds(20))));
        Assert.InRange(clock.Current!.Offset, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        clock.Restore(stored);
        Assert.True(clock.Observe(new ServerClockSample(SentAt.AddMinutes(10).AddMilliseconds(500), TimeSpan.Zero, SentAt, TimeSpan.FromMilliseconds(20))));
        Assert.Equal(TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(490), clock.Current!.Offset);
    }
}
