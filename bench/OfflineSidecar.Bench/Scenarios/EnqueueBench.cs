using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// offlineSync/enqueue through the published sidecar over stdio, 1 / 8 / 64 callers, synchronous full and normal;
/// then the same enqueues straight into the store in this process (no JSON-RPC, no process hop) to split the cost.
/// </summary>
internal static class EnqueueBench
{
    private const int Entities = 1000;
    private const int Warmup = 2_000;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private const double TargetOpsPerSecond = 20_000;
    private const double TargetP99Ms = 10;

    public static async Task RunAsync(ResultSink sink, int ops)
    {
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var (synchronous, callers, loopbackOffline) in Configurations())
        {
            // One caller at synchronous=full waits for one fsync per enqueue: fewer calls keep the run short.
            var calls = callers == 1 && synchronous == "full" ? Math.Max(500, ops / 8) : ops;
            await OverRpcAsync(sink, synchronous, callers, calls, loopbackOffline);
        }

        // BENCH_ENQUEUE_INPROCESS=0 skips the in-process runs (quicker A/B iterations over RPC).
        var inProcess = Environment.GetEnvironmentVariable("BENCH_ENQUEUE_INPROCESS") != "0";
        foreach (var synchronous in inProcess ? new[] { SynchronousMode.Full, SynchronousMode.Normal } : [])
        {
            await InProcessAsync(sink, synchronous, 8, ops);
        }

        sink.Note($"payload ~{Payloads.Json(123_456).Length} bytes, entityId over {Entities} entities, no server configured; "
            + $"{Warmup} warm-up enqueues and a {Settle.TotalSeconds:0} s pause before each measured run; fresh data dir per run in BENCH_TMP. "
            + "Load generator (Rpc/PipelinedLoad): requests encoded before the clock starts, one blocking reader thread, the "
            + "requests released by one read sent in one write; each caller still waits for its own answer before its next request.");
    }

    /// <summary>
    /// BENCH_ENQUEUE_CONFIGS="full:8,normal:1,full:8:loop" picks the runs (synchronous:callers[:loop]; "none": in-process runs only). Default: full and
    /// normal × 1, 8, 64 callers, then 8 callers ":loop" for the diagnosis: with no server URL (or a non-loopback one)
    /// every sync-engine step asks the OS whether a network is up (NetworkInterface.GetIsNetworkAvailable: netlink
    /// sockets, /proc and /sys reads); a loopback URL with workOffline on skips that check and sends nothing.
    /// </summary>
    private static List<(string Synchronous, int Callers, bool Loop)> Configurations()
    {
        var configured = Environment.GetEnvironmentVariable("BENCH_ENQUEUE_CONFIGS") is { Length: > 0 } text
            ? text
            : "full:1,full:8,full:64,normal:1,normal:8,normal:64,full:8:loop,normal:8:loop";
        return configured.Split(',')
            .Where(part => part != "none")
            .Select(part => part.Split(':'))
            .Select(p => (p[0], int.Parse(p[1], CultureInfo.InvariantCulture), p.Length > 2 && p[2] == "loop"))
            .ToList();
    }

    private static async Task OverRpcAsync(ResultSink sink, string synchronous, int callers, int calls, bool loopbackOffline)
    {
        using var dir = new TempDirectory("enqueue");
        var launch = new SidecarLaunch(dir.Path) { Synchronous = synchronous };
        if (loopbackOffline)
        {
            launch = launch with { ServerUrl = "http://127.0.0.1:9", WorkOffline = true };
        }

        await using var sidecar = await SidecarProcess.StartReadyAsync(launch);
        var client = sidecar.Client;
        await CallerPool.RunAsync(client, "offlineSync/enqueue", Warmup, Math.Min(callers, 8), i => RequestWriters.Enqueue(i, Entities));
        await Task.Delay(Settle); // lets tiered compilation of the hot paths finish before measuring
        var sidecarCpu = ProcessCpu.Of(sidecar.Pid);
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var outcome = await CallerPool.RunAsync(client, "offlineSync/enqueue", calls, callers, i => RequestWriters.Enqueue(i, Entities), Warmup);
        sidecarCpu = ProcessCpu.Of(sidecar.Pid) - sidecarCpu;
        benchCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
        var pending = await StatusReader.PendingAsync(client);
        var label = string.Create(CultureInfo.InvariantCulture, $"rpc, {callers} caller{(callers == 1 ? "" : "s")}, synchronous={synchronous}")
            + (loopbackOffline ? ", loopback URL + workOffline (no OS network check)" : "");
        var targeted = callers == 8 && !loopbackOffline;
        sink.Add($"{label}: acknowledged", outcome.OpsPerSecond, "ops/s",
            targeted ? "≥ 20,000" : null, targeted ? outcome.OpsPerSecond >= TargetOpsPerSecond : null, $"N={calls}");
        sink.Add($"{label}: latency p50", outcome.Latency.PercentileMs(50), "ms");
        var p99 = outcome.Latency.PercentileMs(99);
        sink.Add($"{label}: latency p99", p99, "ms", targeted ? "< 10 ms" : null, targeted ? p99 < TargetP99Ms : null);
        sink.Add($"{label}: sidecar CPU per enqueue", sidecarCpu.TotalMilliseconds * 1000 / calls, "µs");
        sink.Add($"{label}: bench client CPU per enqueue", benchCpu.TotalMilliseconds * 1000 / calls, "µs");
        if (pending != calls + Warmup)
        {
            sink.Note($"{label}: getStatus reports {pending} pending, expected {calls + Warmup}");
        }
    }

    /// <summary>The store alone: same operations, same concurrency, same durability, no process boundary.</summary>
    private static async Task InProcessAsync(ResultSink sink, SynchronousMode synchronous, int callers, int calls)
    {
        using var dir = new TempDirectory("enqueue-store");
        await using var store = SqliteOperationStore.Open(
            new StoreOptions { DatabasePath = Path.Combine(dir.Path, "offline-sidecar.db"), Synchronous = synchronous }, TimeProvider.System);
        var queue = store.Workspace(SidecarLaunch.Workspace);
        await EnqueueManyAsync(queue, Warmup, callers, 0);
        var commitsBefore = store.Writer.CommitCount;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var latency = await EnqueueManyAsync(queue, calls, callers, Warmup);
        var elapsed = Stopwatch.GetElapsedTime(started);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var commits = store.Writer.CommitCount - commitsBefore;
        var label = $"in-process store, {callers} callers, synchronous={synchronous.ToString().ToLowerInvariant()}";
        sink.Add($"{label}: acknowledged", calls / elapsed.TotalSeconds, "ops/s", note: $"N={calls}");
        sink.Add($"{label}: latency p99", latency.PercentileMs(99), "ms");
        sink.Add($"{label}: enqueues per commit (group commit)", (double)calls / Math.Max(1, commits), "ops");
        sink.Add($"{label}: CPU per enqueue (store + bench callers)", cpu.TotalMilliseconds * 1000 / calls, "µs");
    }

    private static async Task<LatencySamples> EnqueueManyAsync(SqliteWorkspaceStore queue, int calls, int callers, long firstIndex)
    {
        var next = firstIndex - 1;
        var last = firstIndex + calls - 1;
        var perCaller = new LatencySamples[callers];
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var samples = perCaller[c] = new LatencySamples();
            for (var index = Interlocked.Increment(ref next); index <= last; index = Interlocked.Increment(ref next))
            {
                var sent = Stopwatch.GetTimestamp();
                await queue.EnqueueAsync(new EnqueueRequest
                {
                    Type = Payloads.Type,
                    PayloadJson = Payloads.Json(index),
                    EntityId = Payloads.EntityId(index, Entities),
                });
                samples.Add(Stopwatch.GetTimestamp() - sent);
            }
        })));
        var all = new LatencySamples(calls);
        foreach (var samples in perCaller)
        {
            all.AddRange(samples);
        }

        return all;
    }
}
