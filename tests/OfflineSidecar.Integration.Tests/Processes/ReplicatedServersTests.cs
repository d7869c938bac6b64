using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// The team deployment: two people's sidecars drain into three stateless server replicas on one PostgreSQL database
/// behind haproxy (round robin), and one replica is killed with kill -9 in the middle of the drain. Every operation is
/// applied exactly once (each document's versions count its operations, no more) and in order per document (its
/// versions carry its operations' sequence numbers in enqueue order), and nothing is lost.
/// </summary>
public sealed class ReplicatedServersTests
{
    private const string Workspace = "ws-team";
    private const int OperationsEach = 300;
    private const int Documents = 10;
    private static readonly object Settings = new { leaseSeconds = 2, syncIntervalSeconds = 3600, batchSize = 20, backoffBaseSeconds = 0.2, backoffCapSeconds = 1 };

    [SkippableFact]
    public async Task Two_sidecars_drain_through_replicas_and_a_replica_killed_mid_drain_loses_nothing_and_applies_nothing_twice()
    {
        await using var servers = await ReplicatedServers.StartAsync(3, "token-ana", "--account", "ana=token-ana", "--account", "ben=token-ben");
        using var anaData = new TempDirectory("ana");
        using var benData = new TempDirectory("ben");
        await using var ana = await SidecarProcess.StartAsync(anaData.Path, Workspace, servers.Balancer, Settings, "token-ana");
        await using var ben = await SidecarProcess.StartAsync(benData.Path, Workspace, servers.Balancer, Settings, "token-ben");
        foreach (var sidecar in new[] { ana, ben })
        {
            await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
        }

        for (var i = 0; i < OperationsEach; i++)
        {
            await ana.EnqueueAsync($"notes/ana-{i % Documents}.md", new { n = i });
            await ben.EnqueueAsync($"notes/ben-{i % Documents}.md", new { n = i });
        }

        foreach (var sidecar in new[] { ana, ben })
        {
            await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });
        }

        // Killed while both are still sending: some of its requests die with it, answered or not.
        await Wait.UntilAsync(async () => Succeeded(await ana.GetStatusAsync()) + Succeeded(await ben.GetStatusAsync()) >= OperationsEach / 2, "a third of the drain is done");
        await servers.KillAsync(1);

        await Wait.UntilAsync(async () => Succeeded(await ana.GetStatusAsync()) == OperationsEach && Succeeded(await ben.GetStatusAsync()) == OperationsEach, "both queues drained", timeoutSeconds: 120);

        var changes = await servers.ReadAllChangesAsync(Workspace);
        foreach (var person in new[] { "ana", "ben" })
        {
            for (var d = 0; d < Documents; d++)
            {
                var entity = $"notes/{person}-{d}.md";
                var history = changes.Where(c => c.EntityId == entity).ToList();
                // Exactly once: one version per operation, numbered 1..N; in order: the operations' n in enqueue order.
                Assert.Equal(Enumerable.Range(1, OperationsEach / Documents).Select(v => (long)v), history.Select(c => c.Version));
                Assert.Equal(Enumerable.Range(0, OperationsEach / Documents).Select(k => d + (k * Documents)), history.Select(c => c.Payload!.Value.GetProperty("n").GetInt32()));
            }
        }
    }

    /// <summary>
    /// The engine suite's exactly-once test, its workload and checks unchanged, against three PostgreSQL replicas
    /// behind haproxy with the same faults on every replica: 30 % of batches fail, 30 % are applied and their answer
    /// dropped, so resends meet each other's idempotency keys on other replicas.
    /// </summary>
    [SkippableFact]
    public async Task Failures_and_lost_answers_through_replicas_still_apply_everything_exactly_once_in_order()
    {
        const int Operations = 500;
        const int Entities = 20;
        await using var servers = await ReplicatedServers.StartAsync(3, "token-rig", "--token", "token-rig");
        await servers.SetFaultsAsync(new { failRate = 0.3, dropAfterApplyRate = 0.3, retryAfterSeconds = 0 });
        await using var rig = await EngineRig.StartAsync(servers.Balancer, token: "token-rig");

        await Workload.EnqueueAsync(rig, Operations, Entities);
        await rig.WaitUntilDrainedAsync(timeoutSeconds: 120);
        await servers.SetFaultsAsync(new { failRate = 0.0, dropAfterApplyRate = 0.0 });

        var stats = await servers.GetStatsAsync();
        Assert.Equal(Operations, stats.Applied);
        Assert.True(stats.Duplicates > 0, "answers were dropped after apply, so resends must have met the idempotency keys");
        await Workload.AssertAppliedOnceInOrderAsync(servers, Operations, Entities);
        var counts = await rig.Queue.GetCountsAsync();
        Assert.Equal((0L, 0L, (long)Operations), (counts.Failed, counts.Conflict, counts.Succeeded));
    }

    private static int Succeeded(JsonNode status) => status["counts"]!["succeeded"]!.GetValue<int>();
}
