using System.Globalization;
using System.Text.Json;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Bench.Seeding;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>getStatus and 100-row listOperations pages over the real process, with 1,000,000 queued rows.</summary>
internal static class QueryBench
{
    private const int Entities = 10_000;
    private const double StatusTargetMs = 1;
    private const double PageTargetMs = 20;

    public static async Task RunAsync(ResultSink sink, long rows, int statusCalls, int pageCalls)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var dir = new TempDirectory("query");
        var seeded = await QueueSeeder.SeedAsync(dir.Path, rows, Entities);
        sink.Add("seed pending operations (store insert path, 50k rows per transaction)", rows / seeded.TotalSeconds, "rows/s",
            note: string.Create(CultureInfo.InvariantCulture, $"N={rows:#,0} on {Entities:#,0} entities, {seeded.TotalSeconds:0.0} s"));
        sink.Add("database file size", new FileInfo(Path.Combine(dir.Path, "offline-sidecar.db")).Length / 1048576.0, "MiB");

        sink.Add("PRAGMA quick_check of that file (what the sidecar runs at open)", QuickCheckMs(dir.Path), "ms");
        var sidecar = SidecarProcess.Start(dir.Path);
        await using (sidecar)
        {
            var init = await sidecar.InitializeAsync(new SidecarLaunch(dir.Path));
            sink.Add($"initialize answered with {rows:#,0} rows (existing data dir)", LatencySamples.ToMs(init), "ms", "< 150 ms", LatencySamples.ToMs(init) < 150);
            await sidecar.Client.NotifyAsync("initialized", RequestWriters.Empty);
            var client = sidecar.Client;

            var pending = await StatusReader.PendingAsync(client);
            if (pending != rows)
            {
                sink.Note($"getStatus reports {pending} pending, expected {rows}");
            }

            await MeasureAsync(sink, client, "getStatus", "offlineSync/getStatus", statusCalls, RequestWriters.Empty, StatusTargetMs);
            var deep = new ListCursor(1, rows / 2).Encode();
            await MeasureAsync(sink, client, "listOperations first page (100)", "offlineSync/listOperations", pageCalls, RequestWriters.List(100), PageTargetMs);
            await MeasureAsync(sink, client, string.Create(CultureInfo.InvariantCulture, $"listOperations deep page (cursor at row {rows / 2:#,0})"), "offlineSync/listOperations", pageCalls,
                RequestWriters.List(100, cursor: deep), PageTargetMs);
            await MeasureAsync(sink, client, "listOperations statuses=[pending] (100)", "offlineSync/listOperations", pageCalls,
                RequestWriters.List(100, statuses: ["pending"]), PageTargetMs);
            await MeasureAsync(sink, client, "listOperations statuses=[failed,conflict] (empty)", "offlineSync/listOperations", pageCalls,
                RequestWriters.List(100, statuses: ["failed", "conflict"]), PageTargetMs);
            await MeasureAsync(sink, client, "listOperations entityId=doc-4242 (100 of 100)", "offlineSync/listOperations", pageCalls,
                RequestWriters.List(100, entityId: "doc-4242"), PageTargetMs);
            await MeasureAsync(sink, client, "listOperations entityId + cursor (2nd page of 50)", "offlineSync/listOperations", pageCalls,
                await SecondEntityPageAsync(client), PageTargetMs);
            await CheckPageAsync(sink, client, deep);
        }

        sink.Note($"seeded with {nameof(QueueSeeder)} (the store's insert path in this process, {QueueSeeder.RowsPerTransaction:#,0} rows per transaction), "
            + "then the published sidecar was started on that data dir; one caller, 50 warm-up calls per query kind.");
    }

    /// <summary>The integrity check DatabaseFilePreparer runs on every open of an existing file, timed alone.</summary>
    private static double QuickCheckMs(string dataDir)
    {
        StoreConnections.EnsureNativeLibrary();
        using var connection = StoreConnections.Open(Path.Combine(dataDir, "offline-sidecar.db"), TimeSpan.FromSeconds(5));
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _ = command.ExecuteScalar();
        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task MeasureAsync(ResultSink sink, RpcClient client, string label, string method, int calls, Action<Utf8JsonWriter> writeParams, double targetMs)
    {
        await CallerPool.RunAsync(client, method, 50, 1, _ => writeParams);
        var outcome = await CallerPool.RunAsync(client, method, calls, 1, _ => writeParams);
        sink.Add($"{label}: p50", outcome.Latency.PercentileMs(50), "ms", note: $"N={calls}");
        var p99 = outcome.Latency.PercentileMs(99);
        var target = targetMs.ToString(CultureInfo.InvariantCulture);
        sink.Add($"{label}: p99", p99, "ms", $"< {target} ms", p99 < targetMs);
    }

    private static async Task<Action<Utf8JsonWriter>> SecondEntityPageAsync(RpcClient client)
    {
        using var first = await client.CallAsync("offlineSync/listOperations", RequestWriters.List(50, entityId: "doc-4242"));
        var cursor = first.Result.GetProperty("nextCursor").GetString();
        return RequestWriters.List(50, cursor: cursor, entityId: "doc-4242");
    }

    /// <summary>A sanity check that the pages hold what they claim (the bench measures answers, not errors).</summary>
    private static async Task CheckPageAsync(ResultSink sink, RpcClient client, string cursor)
    {
        using var reply = await client.CallAsync("offlineSync/listOperations", RequestWriters.List(100, cursor: cursor));
        var result = reply.Result;
        var items = result.GetProperty("items").GetArrayLength();
        var total = result.GetProperty("total").GetInt64();
        sink.Note(string.Create(CultureInfo.InvariantCulture, $"deep page: {items} items, total {total:#,0}, answer {reply.Result.GetRawText().Length:#,0} bytes"));
    }
}
