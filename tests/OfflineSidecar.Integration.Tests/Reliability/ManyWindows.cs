using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// Ten sidecars on one data directory and workspace, as ten editor windows: callers enqueue through random windows, and
/// every few seconds the one holding the flusher lease is killed (kill -9) and a new window takes its place. The server's
/// command log (each batch with its sender's clientId, offline-sidecar/&lt;pid&gt;, and times) shows who flushed when.
/// </summary>
internal sealed class ManyWindows(ReliabilityReport report)
{
    public const string Workspace = "ws-windows";
    private const int Entities = 24;
    private const int Callers = 3;
    private const double LeaseSeconds = 3;

    private static readonly object Settings = new
    {
        leaseSeconds = LeaseSeconds, backoffBaseSeconds = 0.05, backoffCapSeconds = 1, maxAttempts = 1_000_000, syncIntervalSeconds = 3600,
    };

    /// <summary>The documented bound for a holder that is gone: the next try (every lease/3) takes the lease; for any holder, lease + lease/3 after its last renewal.</summary>
    public static TimeSpan FailoverBound => TimeSpan.FromSeconds(LeaseSeconds + (LeaseSeconds / 3));

    public async Task<ManyWindowsResult> RunAsync(int windowCount, int leaderKills, int seed)
    {
        var wall = Stopwatch.StartNew();
        var random = new Random(seed);
        using var serverData = new TempDirectory("windows-server");
        using var shared = new TempDirectory("windows-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, seed: seed);
        // Batches take a moment on the wire, so two flushers at once would show as overlapping requests.
        await server.SetFaultsAsync(new { latencyMs = 20 });
        var windows = new List<SidecarProcess>();
        var started = new List<int>();
        var kills = new List<LeaderKill>();
        try
        {
            for (var i = 0; i < windowCount; i++)
            {
                windows.Add(await StartWindowAsync(shared.Path, server.Url));
                started.Add(windows[^1].Pid);
            }

            var ledger = new OperationLedger();
            using var stop = new CancellationTokenSource();
            var callers = EnqueueCaller.Create(ledger, "window", Entities, Callers)
                .Select(c => EnqueueThroughAnyWindowAsync(c, windows, new Random(random.Next()), stop.Token)).ToArray();
            for (var k = 0; k < leaderKills; k++)
            {
                await Task.Delay(random.Next(2000, 4000));
                var leader = await FindLeaderAsync(windows);
                kills.Add(new LeaderKill(leader.Pid, DateTimeOffset.UtcNow));
                leader.KillHard();
                lock (windows)
                {
                    windows.Remove(leader);
                }

                await leader.DisposeAsync();
                var replacement = await StartWindowAsync(shared.Path, server.Url);
                lock (windows)
                {
                    windows.Add(replacement);
                }

                started.Add(replacement.Pid);
            }

            // Delivery goes on a little after the last kill, then the callers stop and every window must agree.
            await Task.Delay(2000);
            await stop.CancelAsync();
            await Task.WhenAll(callers);
            foreach (var window in windows)
            {
                await QueueState.WaitDrainedAsync(window);
            }

            await Wait.UntilAsync(async () => (await CountsAsync(windows)).Distinct().Count() == 1, "every window shows the same counts");
            var counts = await CountsAsync(windows);
            var verdict = ledger.Verify(await server.ReadAllChangesAsync(Workspace));
            var log = await server.GetCommandLogAsync();
            var result = ManyWindowsResult.From(windowCount, kills, log, verdict, counts, started, wall.Elapsed);
            result.Report(report, seed);
            return result;
        }
        finally
        {
            foreach (var window in windows)
            {
                await window.DisposeAsync();
            }
        }
    }

    private static Task<SidecarProcess> StartWindowAsync(string dataDir, Uri server) =>
        SidecarProcess.StartAsync(dataDir, Workspace, server, Settings, executable: PublishedSidecar.Executable);

    /// <summary>The one window that says it holds the lease; while none does (a failover under way), asks again.</summary>
    private static async Task<SidecarProcess> FindLeaderAsync(List<SidecarProcess> windows)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            List<SidecarProcess> live;
            lock (windows)
            {
                live = [.. windows];
            }

            foreach (var window in live)
            {
                if ((await window.GetStatusAsync())["isLeader"]!.GetValue<bool>())
                {
                    return window;
                }
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "no window took the lease");
            await Task.Delay(50);
        }
    }

    private static async Task EnqueueThroughAnyWindowAsync(EnqueueCaller caller, List<SidecarProcess> windows, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            SidecarProcess window;
            lock (windows)
            {
                window = windows[random.Next(windows.Count)];
            }

            if (!window.Killed)
            {
                await caller.EnqueueOneAsync(window);
            }

            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<List<string>> CountsAsync(List<SidecarProcess> windows) =>
        [.. await Task.WhenAll(windows.Select(async w => (await w.GetStatusAsync())["counts"]!.ToJsonString()))];

    internal sealed record LeaderKill(int Pid, DateTimeOffset At)
    {
        public string ClientId => string.Create(CultureInfo.InvariantCulture, $"offline-sidecar/{Pid}");
    }
}
