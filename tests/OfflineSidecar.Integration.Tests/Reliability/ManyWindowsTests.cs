using Xunit.Abstractions;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>Many windows at CI size (RELIABILITY_LEADER_KILLS makes it the bench's: bench/reliability.sh windows).</summary>
public sealed class ManyWindowsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ten_windows_with_the_leader_killed_again_and_again_flush_one_at_a_time_fail_over_within_the_lease_and_agree_on_counts()
    {
        var report = new ReliabilityReport("windows", output);
        var result = await new ManyWindows(report).RunAsync(ReliabilitySizes.Windows, ReliabilitySizes.LeaderKills, ReliabilitySizes.Seed);

        Assert.True(result.LogDropped == 0, "the server's command log overflowed; the proof needs every batch");
        Assert.Equal(0, result.UnknownSenders);
        Assert.True(result.Overlaps == 0, "two windows flushed at once: " + string.Join("; ", result.Examples));
        Assert.True(result.Flushers > result.Kills, $"only {result.Flushers} windows ever flushed for {result.Kills} kills");
        Assert.Equal(0, result.KillsWithoutFailover);
        Assert.True(result.LongestFailover <= ManyWindows.FailoverBound, $"a failover took {result.LongestFailover.TotalSeconds:0.00} s");
        Assert.True(result.Verdict.Holds, result.Verdict.ToString());
        Assert.Single(result.Counts.Distinct());
    }
}
