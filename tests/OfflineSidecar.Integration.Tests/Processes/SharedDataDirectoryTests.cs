using System.Diagnostics;
using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;
using Xunit.Abstractions;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>Several real sidecar processes (VS Code windows) on one data directory, against the real server.</summary>
public sealed class SharedDataDirectoryTests(ITestOutputHelper output)
{
    private const string Workspace = "ws-shared";
    private static readonly object FastSettings = new { leaseSeconds = 2, backoffBaseSeconds = 0.05, backoffCapSeconds = 1, maxAttempts = 50 };

    [Fact]
    public async Task TwoSidecarsOnOneDataDirectorySendEverythingOnceAndAgreeOnCounts()
    {
        using var serverData = new TempDirectory("server");
        using var shared = new TempDirectory("shared-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var first = await SidecarProcess.StartAsync(shared.Path, Workspace, server.Url, FastSettings);
        await using var second = await SidecarProcess.StartAsync(shared.Path, Workspace, server.Url, FastSettings);

        var enqueues = new List<Task>();
        for (var i = 0; i < 60; i++)
        {
            enqueues.Add(first.EnqueueAsync($"first-{i % 6}", new { seq = i / 6 }));
            enqueues.Add(second.EnqueueAsync($"second-{i % 6}", new { seq = i / 6 }));
        }

        await Task.WhenAll(enqueues);
        await Wait.UntilAsync(() => Drained(first, 120) && Drained(second, 120), "both sidecars saw all 120 succeed in their queueChanged notifications");

        var stats = await server.GetStatsAsync();
        Assert.Equal(120, stats.Applied);
        Assert.Equal(0, stats.Duplicates);
        var firstStatus = await first.GetStatusAsync();
        var secondStatus = await second.GetStatusAsync();
        Assert.Equal(firstStatus["counts"]!.ToJsonString(), secondStatus["counts"]!.ToJsonString());
        Assert.NotEqual(firstStatus["isLeader"]!.GetValue<bool>(), secondStatus["isLeader"]!.GetValue<bool>());

        var changes = await server.ReadAllChangesAsync(Workspace);
        foreach (var entity in changes.GroupBy(c => c.EntityId))
        {
            Assert.Equal(Enumerable.Range(0, 10), entity.Select(c => c.Payload!.Value.GetProperty("seq").GetInt32()));
        }
    }

    [Fact]
    public async Task KillingTheLeaderHandsTheQueueToTheOtherSidecar()
    {
        using var serverData = new TempDirectory("server");
        using var shared = new TempDirectory("shared-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var leader = await SidecarProcess.StartAsync(shared.Path, Workspace, server.Url, FastSettings);
        await Wait.UntilAsync(async () => (await leader.GetStatusAsync())["isLeader"]!.GetValue<bool>(), "the first sidecar leads");
        await using var follower = await SidecarProcess.StartAsync(shared.Path, Workspace, server.Url, FastSettings);
        Assert.False((await follower.GetStatusAsync())["isLeader"]!.GetValue<bool>());

        // Slow answers keep the leader's batch in flight (syncing) when it dies.
        await server.SetFaultsAsync(new { latencyMs = 3000 });
        for (var i = 0; i < 20; i++)
        {
            await leader.EnqueueAsync($"doc-{i % 4}", new { seq = i / 4 });
        }

        await Wait.UntilAsync(async () => (await leader.GetStatusAsync())["counts"]!["syncing"]!.GetValue<long>() > 0, "a batch in flight");
        var killedAt = Stopwatch.StartNew();
        leader.KillHard();
        await server.SetFaultsAsync(new { latencyMs = 0 });

        await Wait.UntilAsync(async () => (await follower.GetStatusAsync())["isLeader"]!.GetValue<bool>(), "the follower took over", timeoutSeconds: 30);
        output.WriteLine($"took over {killedAt.Elapsed.TotalSeconds:0.0} s after the kill (lease 2 s)");
        for (var i = 0; i < 4; i++)
        {
            await follower.EnqueueAsync($"doc-{i}", new { seq = 5 });
        }

        await Wait.UntilAsync(() => Drained(follower, 24), "the new leader sent the dead one's work, interrupted batch included");
        var changes = await server.ReadAllChangesAsync(Workspace);
        foreach (var entity in changes.GroupBy(c => c.EntityId))
        {
            Assert.Equal(Enumerable.Range(0, 6), entity.Select(c => c.Payload!.Value.GetProperty("seq").GetInt32()));
        }

        Assert.Equal(24, (await server.GetStatsAsync()).Applied);
    }

    private static bool Drained(SidecarProcess sidecar, long succeeded)
    {
        var counts = sidecar.Latest("offlineSync/queueChanged")?["counts"];
        return counts is not null
            && counts["succeeded"]!.GetValue<long>() == succeeded
            && counts["pending"]!.GetValue<long>() == 0
            && counts["syncing"]!.GetValue<long>() == 0;
    }
}
