using Xunit.Abstractions;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>The crash loop at CI size (RELIABILITY_KILLS etc. make it the bench's: bench/reliability.sh crashloop).</summary>
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_9_during_enqueue_delivery_pulls_and_merges_loses_nothing_doubles_nothing_keeps_order_and_leaves_the_cache_equal_to_the_server()
    {
        var report = new ReliabilityReport("crashloop", output);
        var result = await new CrashLoop(report).RunAsync(
            ReliabilitySizes.Kills, ReliabilitySizes.SeedDocuments, ReliabilitySizes.PullBurst, ReliabilitySizes.Seed);

        Assert.True(result.Verdict.Holds, result.Verdict.ToString());
        Assert.True(result.Verdict.Acknowledged > 0, "nothing was acknowledged");
        Assert.True(result.PullComplete, "the calm run's pull read the feed to its end");
        Assert.Empty(result.CacheDifferences);
        // The proof is about delivery under kills: most of it must have happened while they went on.
        Assert.True(result.AppliedDuringKillsShare > 0.5, $"only {result.AppliedDuringKillsShare:P0} applied while kills went on");
        Assert.True(result.DuringFlush > 0, "no kill landed with operations on the wire");
        Assert.True(result.DuringPull > 0, "no kill landed during a long pull");
        Assert.Empty(result.Merge.Problems);
        Assert.True(result.Merge.Merged > 0, "no edit went through a three-way merge");
    }
}
