using System.Diagnostics;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// One sidecar enqueueing throughout against a server that answers 30 % of requests 503, drops 30 % of answers after
/// applying the batch, throttles with 429 + Retry-After, answers after 0–2 s, and is killed and started again on the
/// same port and data directory at an interval; then a full drain, checked against the server's feed, with the
/// sidecar's resident memory sampled every second.
/// </summary>
internal sealed class FaultSoak(ReliabilityReport report)
{
    public const string Workspace = "ws-soak";
    private const int Entities = 32;
    private const int Callers = 4;
    // 10 operations a second: about what delivery under these faults keeps up with (each failure costs a health probe, 1 s or more).
    private static readonly TimeSpan EnqueuePause = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan LatencyChange = TimeSpan.FromSeconds(2);

    private static readonly object Settings = new
    {
        leaseSeconds = 2, backoffBaseSeconds = 0.1, backoffCapSeconds = 2, maxAttempts = 1_000_000, syncIntervalSeconds = 3600, requestTimeoutSeconds = 10,
    };

    public async Task<FaultSoakResult> RunAsync(TimeSpan duration, TimeSpan restartEvery, int seed)
    {
        var wall = Stopwatch.StartNew();
        var random = new Random(seed);
        using var serverData = new TempDirectory("soak-server");
        using var data = new TempDirectory("soak-data");
        await using var server = await RestartableServer.StartAsync(serverData.Path, seed);
        var faults = Faults(0);
        await server.Current.SetFaultsAsync(faults);
        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Current.Url, Settings, executable: PublishedSidecar.Executable);
        var rss = new RssSampler(sidecar.Pid);

        var ledger = new OperationLedger();
        using var stop = new CancellationTokenSource();
        var callers = EnqueueCaller.Create(ledger, "soak", Entities, Callers).Select(c => c.RunAsync(sidecar, EnqueuePause, () => false, stop.Token)).ToArray();
        var soak = Stopwatch.StartNew();
        var lastRestart = TimeSpan.Zero;
        while (soak.Elapsed < duration)
        {
            await Task.Delay(LatencyChange);
            faults = Faults(random.Next(0, 2001));
            if (soak.Elapsed - lastRestart >= restartEvery && soak.Elapsed < duration)
            {
                await server.RestartAsync(faults);
                lastRestart = soak.Elapsed;
            }
            else
            {
                await server.Current.SetFaultsAsync(faults);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(callers);
        var soaked = soak.Elapsed;
        await server.Current.SetFaultsAsync(new { failRate = 0.0, dropAfterApplyRate = 0.0, status429Rate = 0.0, latencyMs = 0 });
        var appliedDuringSoak = ledger.CountApplied(await server.Current.ReadAllChangesAsync(Workspace));
        var drain = Stopwatch.StartNew();
        await QueueState.WaitDrainedAsync(sidecar, timeoutSeconds: 600);
        var drained = drain.Elapsed;
        await rss.DisposeAsync();
        var verdict = ledger.Verify(await server.Current.ReadAllChangesAsync(Workspace));

        var result = new FaultSoakResult(soaked, server.Restarts, verdict, appliedDuringSoak, drained, rss.Samples, wall.Elapsed);
        result.Report(report, seed);
        return result;
    }

    private static object Faults(int latencyMs) =>
        new { failRate = 0.3, dropAfterApplyRate = 0.3, status429Rate = 0.1, retryAfterSeconds = 1, latencyMs };
}
