using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Bench.Server;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// 100,000 operations queued with workOffline on (through the sidecar), then workOffline off ("go"): time until
/// nothing is pending or syncing, checked against the reference server's /admin/stats.
/// <para>Like the enqueue bench, the measured drain comes after a warm-up (BENCH_DRAIN_WARMUP operations, default
/// 5,000, drained the same way, then a 1 s pause): a sidecar lives as long as its editor window, and compiles its
/// flush path once, at its first flush. In a 5-second cold drain that one-time compilation was ~17 % of the two
/// processes' CPU samples (perf: the sidecar's and the server's tiered-compilation threads). The warm-up drain is
/// reported too, as the cold figure; BENCH_DRAIN_WARMUP=0 measures cold only, as before. Its operations stay in the
/// sidecar's store (succeeded; failed in the no-entity variant) and are not part of the measured drain or its stats.</para>
/// </summary>
internal static class DrainBench
{
    private const double TargetOpsPerSecond = 20_000;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>entities: 0 = no entityId (the server rejects document.put.v1 without one: every operation fails once, permanently).</summary>
    public static async Task RunAsync(ResultSink sink, int ops, int entities, string label, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var serverDir = new TempDirectory("drain-server");
        using var sidecarDir = new TempDirectory("drain-sidecar");
        await using var server = await SyncServerProcess.StartAsync(serverDir.Path);
        await using var sidecar = await SidecarProcess.StartReadyAsync(new SidecarLaunch(sidecarDir.Path) { ServerUrl = server.Url, WorkOffline = true, BatchSize = batchSize });
        var client = sidecar.Client;
        await WarmUpAsync(sink, client, entities, label, firstIndex: ops);

        var seeded = await CallerPool.RunAsync(client, "offlineSync/enqueue", ops, 64, i => RequestWriters.Enqueue(i, entities));
        sink.Add($"{label}: seed through the sidecar (64 callers, workOffline on)", seeded.OpsPerSecond, "ops/s", note: $"N={ops}");
        await server.ResetStatsAsync();

        long firstFlushAt = 0;
        client.Notified += (method, p) =>
        {
            if (method == "offlineSync/syncEvent" && p.GetProperty("kind").GetString() == "flushStarted")
            {
                Interlocked.CompareExchange(ref firstFlushAt, Stopwatch.GetTimestamp(), 0);
            }
        };

        var sidecarCpu = ProcessCpu.Of(sidecar.Pid);
        var serverCpu = ProcessCpu.Of(server.Pid);
        var go = Stopwatch.GetTimestamp();
        await SetWorkOfflineAsync(client, false);

        var (done, failed) = await WaitUntilSettledAsync(client, TimeSpan.FromMinutes(10));
        var elapsed = Stopwatch.GetElapsedTime(go);
        sidecarCpu = ProcessCpu.Of(sidecar.Pid) - sidecarCpu;
        serverCpu = ProcessCpu.Of(server.Pid) - serverCpu;
        var stats = await server.StatsAsync();
        var rate = ops / elapsed.TotalSeconds;
        var expectApplied = entities > 0;
        sink.Add($"{label}: drained", rate, "ops/s", expectApplied ? "≥ 20,000" : null, expectApplied ? rate >= TargetOpsPerSecond : null,
            string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.00} s, batch {batchSize ?? 50}"));
        if (Interlocked.Read(ref firstFlushAt) is var flushed and not 0)
        {
            sink.Add($"{label}: go → first flushStarted", LatencySamples.ToMs(flushed - go), "ms");
        }

        var requests = Get(stats, "commandRequests");
        sink.Add($"{label}: mean time per batch (elapsed / POST /sync/commands)", elapsed.TotalMilliseconds / Math.Max(1, requests), "ms", note: $"{requests} requests");
        sink.Add($"{label}: sidecar CPU per operation", sidecarCpu.TotalMilliseconds * 1000 / ops, "µs");
        sink.Add($"{label}: server CPU per operation", serverCpu.TotalMilliseconds * 1000 / ops, "µs");
        var applied = Get(stats, "applied");
        var duplicates = Get(stats, "duplicates");
        var rejected = Get(stats, "rejected");
        var ok = expectApplied ? applied == ops && duplicates == 0 : rejected == ops && applied == 0;
        sink.Add($"{label}: server applied", applied, "ops", expectApplied ? $"= {ops}" : "= 0", expectApplied ? applied == ops : applied == 0);
        sink.Add($"{label}: server duplicates", duplicates, "ops", "= 0", duplicates == 0);
        if (!expectApplied)
        {
            sink.Add($"{label}: server rejected (entity_required)", rejected, "ops", $"= {ops}", rejected == ops);
        }

        if (!done || !ok)
        {
            sink.Note($"{label}: settled={done}, failed={failed}, stats={stats.GetRawText()}");
        }
    }

    /// <summary>One drain of BENCH_DRAIN_WARMUP operations, reported as the cold figure, then workOffline on again.</summary>
    private static async Task WarmUpAsync(ResultSink sink, RpcClient client, int entities, string label, long firstIndex)
    {
        var warmup = Environment.GetEnvironmentVariable("BENCH_DRAIN_WARMUP") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : 5_000;
        if (warmup <= 0)
        {
            return;
        }

        await CallerPool.RunAsync(client, "offlineSync/enqueue", warmup, 64, i => RequestWriters.Enqueue(i, entities), firstIndex);
        var go = Stopwatch.GetTimestamp();
        await SetWorkOfflineAsync(client, false);
        var (done, _) = await WaitUntilSettledAsync(client, TimeSpan.FromMinutes(2));
        var elapsed = Stopwatch.GetElapsedTime(go);
        await SetWorkOfflineAsync(client, true);
        sink.Add($"{label}: warm-up drain, the process's first (cold)", warmup / elapsed.TotalSeconds, "ops/s",
            note: string.Create(CultureInfo.InvariantCulture, $"N={warmup}, {elapsed.TotalSeconds:0.00} s{(done ? "" : ", did not settle")}"));
        await Task.Delay(Settle); // lets the background compilation of the flush path finish, as the enqueue bench does
    }

    internal static async Task SetWorkOfflineAsync(RpcClient client, bool enabled)
    {
        using var reply = await client.CallAsync("offlineSync/setWorkOffline", RequestWriters.WorkOffline(enabled));
        _ = reply.Result;
    }

    /// <summary>Polls getStatus until pending and syncing are both 0; returns whether it got there, and the failed count.</summary>
    internal static async Task<(bool Done, long Failed)> WaitUntilSettledAsync(RpcClient client, TimeSpan limit)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            using (var reply = await client.CallAsync("offlineSync/getStatus", RequestWriters.Empty))
            {
                var status = reply.Result;
                if (StatusReader.Count(status, "pending") == 0 && StatusReader.Count(status, "syncing") == 0)
                {
                    return (true, StatusReader.Count(status, "failed"));
                }
            }

            await Task.Delay(Poll);
        }

        return (false, -1);
    }

    private static long Get(JsonElement stats, string name) => stats.TryGetProperty(name, out var value) ? value.GetInt64() : -1;
}
