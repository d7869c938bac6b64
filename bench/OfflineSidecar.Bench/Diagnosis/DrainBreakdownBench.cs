using System.Diagnostics;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Bench.Seeding;
using OfflineSidecar.Bench.Server;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Bench.Diagnosis;

/// <summary>
/// The sidecar's own SyncEngine, store and HTTP transport in this process (no JSON-RPC host, no notifications), draining
/// to the published server, with stopwatches on the three stages of every batch: claim (one writer transaction),
/// send (one POST), apply outcomes (one writer transaction). What is left is the engine's own loop.
/// </summary>
internal static class DrainBreakdownBench
{
    public static async Task RunAsync(ResultSink sink, int ops, int entities, int batchSize, int? batchesInFlight = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var serverDir = new TempDirectory("breakdown-server");
        using var sidecarDir = new TempDirectory("breakdown-sidecar");
        await QueueSeeder.SeedAsync(sidecarDir.Path, ops, entities);
        await using var server = await SyncServerProcess.StartAsync(serverDir.Path);
        await using var store = SqliteOperationStore.Open(
            new StoreOptions { DatabasePath = Path.Combine(sidecarDir.Path, "offline-sidecar.db") }, TimeProvider.System);
        var timed = new TimingSyncStore(store.Workspace(SidecarLaunch.Workspace));
        var send = new StageClock();
        var options = new SyncOptions { ServerUrl = new Uri(server.Url), ClientId = "bench", BatchSize = batchSize, WorkOffline = true };
        options = batchesInFlight is { } depth ? options with { MaxBatchesInFlight = depth } : options;
        await using var engine = new SyncEngine(
            timed, options, o => new TimingTransport(HttpSyncTransport.Create(o, TimeProvider.System), send), new AlwaysOnline(), TimeProvider.System, SystemRandomSource.Instance);
        await engine.StartAsync();

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var go = Stopwatch.GetTimestamp();
        engine.SetWorkOffline(false);
        while (await timed.GetCountsAsync() is var counts && counts.Pending + counts.Syncing > 0)
        {
            await Task.Delay(10);
        }

        var elapsed = Stopwatch.GetElapsedTime(go);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var label = $"in-process engine, {entities:#,0} entities, batch {batchSize}, {options.MaxBatchesInFlight} in flight";
        sink.Add($"{label}: drained", ops / elapsed.TotalSeconds, "ops/s", note: $"{elapsed.TotalSeconds:0.00} s");
        var batches = Math.Max(1, send.Count);
        sink.Add($"{label}: per claim call (writer txn, synchronous=full; one call may claim several batches; overlaps other stages)", timed.Claim.Total.TotalMilliseconds / Math.Max(1, timed.Claim.Count), "ms");
        sink.Add($"{label}: per batch, POST /sync/commands", send.Total.TotalMilliseconds / batches, "ms");
        sink.Add($"{label}: per record call (writer txn, synchronous=full; carries every answer already back)", timed.Apply.Total.TotalMilliseconds / Math.Max(1, timed.Apply.Count), "ms");
        var other = elapsed - timed.Claim.Total - send.Total - timed.Apply.Total;
        sink.Add($"{label}: per batch, engine loop and the rest", other.TotalMilliseconds / batches, "ms");
        sink.Add($"{label}: engine + store CPU per operation", cpu.TotalMilliseconds * 1000 / ops, "µs");
        // Answers already back when the oldest is taken are recorded with it: how many batches one record carried.
        sink.Add($"{label}: batches recorded per writer transaction", (double)send.Count / Math.Max(1, timed.Apply.Count), "batches");
        var stats = await server.StatsAsync();
        if (stats.GetProperty("applied").GetInt64() != ops)
        {
            sink.Note($"{label}: server stats {stats.GetRawText()}");
        }
    }
}
