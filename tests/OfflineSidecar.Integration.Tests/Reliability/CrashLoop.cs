using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// kill -9 of the real sidecar at random moments, again and again, while callers enqueue, while it delivers to a server
/// that fails, drops answers after applying, throttles and answers slowly, and while it pulls a long feed; then one calm
/// run drains and pulls, and the ledger and the cache are checked against the server.
/// </summary>
internal sealed class CrashLoop(ReliabilityReport report)
{
    public const string Workspace = "ws-crashloop";
    private const int Entities = 24;
    private const int Callers = 4;

    /// <summary>Backlog at which callers wait: the kills must land while operations are delivered, not only stored.</summary>
    private const int BacklogLimit = 300;

    private static readonly object Settings = new
    {
        leaseSeconds = 2, backoffBaseSeconds = 0.05, backoffCapSeconds = 1, maxAttempts = 1_000_000, syncIntervalSeconds = 3600, requestTimeoutSeconds = 10,
    };

    private static readonly object Faults = new { failRate = 0.15, dropAfterApplyRate = 0.2, status429Rate = 0.1, retryAfterSeconds = 1, latencyMs = 40 };
    private static readonly object NoFaults = new { failRate = 0.0, dropAfterApplyRate = 0.0, status429Rate = 0.0, latencyMs = 0 };

    public async Task<CrashLoopResult> RunAsync(int kills, int seedDocuments, int pullBurst, int seed)
    {
        var wall = Stopwatch.StartNew();
        var random = new Random(seed);
        using var serverData = new TempDirectory("crashloop-server");
        using var data = new TempDirectory("crashloop-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, seed: seed);
        await server.SeedDocumentsAsync(Workspace, seedDocuments, i => $"seed/{i:D6}.md", Text);
        await MergeWorkload.SeedAsync(server, Workspace);
        await server.SetFaultsAsync(Faults);

        var ledger = new OperationLedger();
        var callers = EnqueueCaller.Create(ledger, "crash", Entities, Callers);
        var merges = new MergeWorkload(ledger, Workspace);
        int duringEnqueue = 0, duringFlush = 0, duringPull = 0, duringMerge = 0, pullCycles = 0;
        for (var kill = 0; kill < kills; kill++)
        {
            // A quarter of the kills at any moment, half aimed at a flush under way, a quarter at a long pull.
            var moment = (KillMoment)(kill % 4);
            if (moment == KillMoment.Pull)
            {
                // Another client writes a burst, so this start pulls several pages.
                pullCycles++;
                await server.SetFaultsAsync(NoFaults);
                var burst = kill;
                await server.SeedDocumentsAsync(Workspace, pullBurst, i => string.Create(CultureInfo.InvariantCulture, $"pulled/{burst:D4}/{i:D5}.md"), Text, $"burst{burst}");
                await server.SetFaultsAsync(Faults);
            }

            var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings, executable: PublishedSidecar.Executable);
            using var stop = new CancellationTokenSource();
            // A pull gives way to any flush waiting, so callers keep still while the pull is the target.
            Func<bool> hold = moment == KillMoment.Pull ? () => true : () => SidecarActivity.Pending(sidecar) > BacklogLimit;
            var running = callers.Select(c => c.RunAsync(sidecar, TimeSpan.FromMilliseconds(30), hold, stop.Token)).ToList();
            if (moment != KillMoment.Pull)
            {
                running.Add(merges.RunAsync(sidecar, server, new Random(random.Next()), stop.Token));
            }

            switch (moment)
            {
                case KillMoment.Pull:
                    // The pull starts once the backlog is flushed, and a page takes only tens of milliseconds.
                    await WaitUntilAsync(() => SidecarActivity.Pulling(sidecar), TimeSpan.FromSeconds(30));
                    await Task.Delay(random.Next(0, 150));
                    break;
                case KillMoment.Flush:
                case KillMoment.FlushAgain:
                    // Operations syncing: claimed and on the wire, their answer not recorded (the at-least-once case).
                    await Task.Delay(random.Next(100, 600));
                    await WaitUntilAsync(async () => QueueState.Count(await sidecar.GetStatusAsync(), "syncing") > 0, TimeSpan.FromSeconds(10));
                    await Task.Delay(random.Next(0, 40));
                    break;
                default:
                    await Task.Delay(random.Next(200, 2500));
                    break;
            }

            var syncing = QueueState.Count(await sidecar.GetStatusAsync(), "syncing");
            duringMerge += await MergeOnTheWireAsync(sidecar) ? 1 : 0;
            duringEnqueue += callers.Any(c => c.InFlight) ? 1 : 0;
            duringFlush += syncing > 0 ? 1 : 0;
            duringPull += SidecarActivity.Pulling(sidecar) ? 1 : 0;
            sidecar.KillHard();
            await stop.CancelAsync();
            await Task.WhenAll(running);
            await sidecar.DisposeAsync();
        }

        var killing = wall.Elapsed;
        await server.SetFaultsAsync(NoFaults);
        var appliedDuringKills = ledger.CountApplied(await server.ReadAllChangesAsync(Workspace));
        var statsBeforeCalm = await server.GetStatsAsync();

        await using var calm = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings, executable: PublishedSidecar.Executable);
        await QueueState.WaitDrainedAsync(calm);
        var pulled = await calm.RequestAsync("offlineSync/pull", new { }, timeoutSeconds: 300);
        var feed = await server.ReadAllChangesAsync(Workspace);
        var verdict = ledger.Verify(feed);
        var (compared, differences) = await CacheComparison.CompareAsync(calm, feed);
        var merged = await CountMergedAsync(calm, merges.Acknowledged);
        var merge = new MergeFigures(merges.Acknowledged.Count, merged, merges.OtherClientWrites, duringMerge, MergeWorkload.CheckBothSidesKept(feed));

        var result = new CrashLoopResult(
            kills, duringEnqueue, duringFlush, duringPull, pullCycles, verdict, appliedDuringKills, statsBeforeCalm.Duplicates,
            statsBeforeCalm.DroppedAfterApply, pulled!["complete"]!.GetValue<bool>(), compared, differences, merge, killing, wall.Elapsed);
        result.Report(report, seed);
        return result;
    }

    /// <summary>An edit of a merge document is on the wire: its answer (often a conflict, merged at once) is what the kill interrupts.</summary>
    private static async Task<bool> MergeOnTheWireAsync(SidecarProcess sidecar)
    {
        var unsynced = await sidecar.RequestAsync("offlineSync/cache/unsynced", new { });
        return unsynced!["items"]!.AsArray().Any(i =>
            i!["entityId"]!.GetValue<string>().StartsWith("merge/", StringComparison.Ordinal) && i["state"]!.GetValue<string>() == "syncing");
    }

    /// <summary>Acknowledged merge edits whose history shows a three-way merge.</summary>
    private static async Task<int> CountMergedAsync(SidecarProcess sidecar, IReadOnlyList<string> ids)
    {
        var merged = 0;
        foreach (var id in ids)
        {
            var details = await sidecar.RequestAsync("offlineSync/getOperation", new { id });
            merged += details!["attempts"]!.AsArray().Any(a => a!["outcome"]!.GetValue<string>() == "merged") ? 1 : 0;
        }

        return merged;
    }

    private static string Text(int i) => string.Create(CultureInfo.InvariantCulture, $"document {i}\n");

    /// <summary>Until <paramref name="condition"/> holds, or a while if faults keep it from coming true (the kill lands anyway).</summary>
    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan most) => WaitUntilAsync(() => Task.FromResult(condition()), most);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan most)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition() && deadline.Elapsed < most)
        {
            await Task.Delay(10);
        }
    }

    private enum KillMoment
    {
        Any,
        Flush,
        FlushAgain,
        Pull,
    }
}
