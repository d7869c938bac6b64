using Xunit.Abstractions;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>The fault soak at CI size (RELIABILITY_SOAK_SECONDS etc. make it the bench's: bench/reliability.sh soak).</summary>
public sealed class FaultSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Enqueues_against_a_failing_restarting_server_all_arrive_once_in_order_with_memory_flat()
    {
        var report = new ReliabilityReport("soak", output);
        var result = await new FaultSoak(report).RunAsync(
            TimeSpan.FromSeconds(ReliabilitySizes.SoakSeconds), TimeSpan.FromSeconds(ReliabilitySizes.SoakRestartSeconds), ReliabilitySizes.Seed);

        Assert.True(result.Verdict.Holds, result.Verdict.ToString());
        Assert.True(result.Verdict.Acknowledged > 0, "nothing was acknowledged");
        Assert.True(result.ServerRestarts > 0, "the server was never restarted");
        Assert.True(result.AppliedDuringSoak > 0, "nothing was delivered while the faults were on");
        // Flat: a leak grows with the work done; the peak stays within twice the warm figure (and 64 MB) however long the soak.
        Assert.True(result.PeakRss < Math.Max(2 * result.WarmRss, result.WarmRss + 65_536), $"RSS grew from {result.WarmRss} kB to {result.PeakRss} kB");
    }
}
