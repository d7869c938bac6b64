using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Bench.Seeding;
using OfflineSidecar.Bench.Server;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// The op cache (issue "Offline documents"): a first pull of 100,000 documents from the reference server on loopback, a
/// pull killed at 50 % and resumed, and reads through JSON-RPC with 1,000,000 documents cached (cache/get, cache/stat,
/// cache/list pages, the readDirectory of a 10,000-document folder), plus the cache's size on disk per document.
/// </summary>
internal static class DocumentsBench
{
    private const double PullTargetPerSecond = 20_000;
    private const double GetTargetMs = 1;
    private const double ListTargetMs = 100;
    private const int Folders = 100;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    /// <summary>~200 bytes of payload per document, as the issue's target says.</summary>
    private static string Text(int i) => string.Create(CultureInfo.InvariantCulture,
        $"# Note {i}\nLorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. {i % 97}\n");

    private static string PullId(int i) => string.Create(CultureInfo.InvariantCulture, $"notes/{i % Folders:D2}/{i:D7}.md");

    public static async Task RunAsync(ResultSink sink, int pullEntities, int cachedEntities, int calls)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var serverDir = new TempDirectory("documents-server");
        await using var server = await SyncServerProcess.StartAsync(serverDir.Path);
        var seedStarted = Stopwatch.GetTimestamp();
        await server.SeedDocumentsAsync(SidecarLaunch.Workspace, pullEntities, PullId, Text);
        sink.Note(string.Create(CultureInfo.InvariantCulture,
            $"server seeded with {pullEntities:#,0} documents (~{Text(pullEntities / 2).Length + 40} bytes of payload each) in {Stopwatch.GetElapsedTime(seedStarted).TotalSeconds:0.0} s"));
        // BENCH_DOCUMENTS_PARTS (default "pull,resume,reads") picks the parts.
        var parts = (Environment.GetEnvironmentVariable("BENCH_DOCUMENTS_PARTS") is { Length: > 0 } text ? text : "pull,resume,reads").Split(',');
        if (parts.Contains("pull"))
        {
            await PullAsync(sink, server, pullEntities);
        }

        if (parts.Contains("resume"))
        {
            await ResumeAsync(sink, server, pullEntities);
        }

        if (parts.Contains("reads"))
        {
            await ReadsAsync(sink, cachedEntities, calls);
        }
    }

    /// <summary>An empty cache pulls everything: "go" (workOffline off) to the pull's answer.</summary>
    private static async Task PullAsync(ResultSink sink, SyncServerProcess server, int entities)
    {
        using var dir = new TempDirectory("documents-pull");
        await using (var sidecar = await SidecarProcess.StartReadyAsync(new SidecarLaunch(dir.Path) { ServerUrl = server.Url, WorkOffline = true, SyncIntervalSeconds = 3600 }))
        {
            await server.ResetStatsAsync();
            var sidecarCpu = ProcessCpu.Of(sidecar.Pid);
            var serverCpu = ProcessCpu.Of(server.Pid);
            var go = Stopwatch.GetTimestamp();
            await CallAsync(sidecar.Client, "offlineSync/setWorkOffline", json => WriteObject(json, w => w.WriteBoolean("enabled", false)));
            using var reply = await sidecar.Client.CallAsync("offlineSync/pull", RequestWriters.Empty);
            var elapsed = Stopwatch.GetElapsedTime(go);
            var pulled = reply.Result.GetProperty("pulled").GetInt64();
            sidecarCpu = ProcessCpu.Of(sidecar.Pid) - sidecarCpu;
            serverCpu = ProcessCpu.Of(server.Pid) - serverCpu;
            var rate = entities / elapsed.TotalSeconds;
            var pages = (await server.StatsAsync()).GetProperty("changesRequests").GetInt64();
            sink.Add(string.Create(CultureInfo.InvariantCulture, $"pull {entities:#,0} documents into an empty cache"), rate, "entities/s", "≥ 20,000", rate >= PullTargetPerSecond,
                string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.00} s, pulled {pulled:#,0}, {pages} pages"));
            sink.Add("pull: sidecar CPU per document", sidecarCpu.TotalMilliseconds * 1000 / entities, "µs");
            sink.Add("pull: server CPU per document", serverCpu.TotalMilliseconds * 1000 / entities, "µs");
            var status = await StatusAsync(sidecar.Client);
            if (status.GetProperty("cache").GetProperty("entities").GetInt64() != entities)
            {
                sink.Note($"pull: the cache holds {status.GetProperty("cache").GetRawText()}, expected {entities} documents");
            }
        }

        // After the sidecar closed (its last connection checkpoints the WAL into the file).
        var bytes = new FileInfo(Path.Combine(dir.Path, "offline-sidecar.db")).Length;
        sink.Add("cache on disk per document (after the pull)", bytes / (double)entities, "bytes", note: string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB file"));
    }

    /// <summary>A pull killed with SIGKILL half-way, then a new sidecar on the same data dir: what it fetches again.</summary>
    private static async Task ResumeAsync(ResultSink sink, SyncServerProcess server, int entities)
    {
        using var dir = new TempDirectory("documents-resume");
        var launch = new SidecarLaunch(dir.Path) { ServerUrl = server.Url, SyncIntervalSeconds = 3600 };
        var first = await SidecarProcess.StartReadyAsync(launch);
        await using (first)
        {
            while ((await StatusAsync(first.Client)).GetProperty("cache").GetProperty("entities").GetInt64() < entities / 2)
            {
                await Task.Delay(Poll);
            }

            first.Kill();
        }

        long committed;
        await using (var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = Path.Combine(dir.Path, "offline-sidecar.db") }, TimeProvider.System))
        {
            committed = (await store.Cache(SidecarLaunch.Workspace).GetTotalsAsync()).Entities;
        }

        await server.ResetStatsAsync();
        var restarted = Stopwatch.GetTimestamp();
        await using var second = await SidecarProcess.StartReadyAsync(launch);
        while ((await StatusAsync(second.Client)).GetProperty("lastPulledAt").ValueKind == JsonValueKind.Null)
        {
            await Task.Delay(Poll);
        }

        var elapsed = Stopwatch.GetElapsedTime(restarted);
        var requests = (await server.StatsAsync()).GetProperty("changesRequests").GetInt64();
        var expected = (entities - committed + 999) / 1000;
        sink.Add("resume after kill -9 at 50 %: changes pages fetched again", requests, "pages", $"= {expected} (the uncommitted rest)", requests == expected,
            string.Create(CultureInfo.InvariantCulture, $"killed with {committed:#,0} of {entities:#,0} committed"));
        sink.Add("resume after kill -9 at 50 %: restart to the end of the feed", elapsed.TotalMilliseconds, "ms",
            note: string.Create(CultureInfo.InvariantCulture, $"{(entities - committed) / elapsed.TotalSeconds:#,0} entities/s incl. process start"));
    }

    /// <summary>1,000,000 documents in 100 folders of 10,000, seeded through the pull's write path, read by the published sidecar.</summary>
    private static async Task ReadsAsync(ResultSink sink, int entities, int calls)
    {
        using var dir = new TempDirectory("documents-reads");
        string Id(int i) => string.Create(CultureInfo.InvariantCulture, $"f{i % Folders:D2}/{i:D7}.md");
        var seeded = await CacheSeeder.SeedAsync(dir.Path, entities, Id, Text);
        sink.Add(string.Create(CultureInfo.InvariantCulture, $"seed {entities:#,0} cached documents (pull write path, in process)"), entities / seeded.TotalSeconds, "entities/s",
            note: string.Create(CultureInfo.InvariantCulture, $"{seeded.TotalSeconds:0.0} s"));
        var file = new FileInfo(Path.Combine(dir.Path, "offline-sidecar.db")).Length;
        sink.Add(string.Create(CultureInfo.InvariantCulture, $"cache on disk per document ({entities:#,0} documents)"), file / (double)entities, "bytes",
            note: string.Create(CultureInfo.InvariantCulture, $"{file / 1048576.0:0} MiB file"));

        await using var sidecar = await SidecarProcess.StartReadyAsync(new SidecarLaunch(dir.Path));
        var client = sidecar.Client;
        var random = new Random(42);
        await MeasureAsync(sink, client, "cache/get (random document, with content)", "offlineSync/cache/get", calls,
            _ => Entity(Id(random.Next(entities))), GetTargetMs);
        await MeasureAsync(sink, client, "cache/stat (random document)", "offlineSync/cache/stat", calls,
            _ => Entity(Id(random.Next(entities))), GetTargetMs);
        await MeasureAsync(sink, client, "cache/list 1,000-item page (whole workspace)", "offlineSync/cache/list", 50,
            _ => List(null, null, null, 1000), ListTargetMs);
        await MeasureAsync(sink, client, "cache/list 1,000-item page (folder f50/)", "offlineSync/cache/list", 50,
            _ => List("f50/", "/", null, 1000), ListTargetMs);
        await MeasureAsync(sink, client, "cache/list root with '/' (100 folders)", "offlineSync/cache/list", 50,
            _ => List(null, "/", null, 1000), ListTargetMs);

        // The documents workspace's readDirectory of one folder: every page of it, back to back.
        var folder = new LatencySamples(20);
        for (var run = 0; run < 22; run++)
        {
            var started = Stopwatch.GetTimestamp();
            string? cursor = null;
            var items = 0;
            do
            {
                using var reply = await client.CallAsync("offlineSync/cache/list", List(string.Create(CultureInfo.InvariantCulture, $"f{run % Folders:D2}/"), "/", cursor, 1000));
                items += reply.Result.GetProperty("items").GetArrayLength();
                cursor = reply.Result.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? reply.Result.GetProperty("nextCursor").GetString() : null;
            }
            while (cursor is not null);

            if (run >= 2)
            {
                folder.Add(Stopwatch.GetTimestamp() - started);
            }

            if (items != entities / Folders)
            {
                sink.Note($"readDirectory listed {items} documents, expected {entities / Folders}");
            }
        }

        sink.Add(string.Create(CultureInfo.InvariantCulture, $"readDirectory of a {entities / Folders:#,0}-document folder (10 pages of 1,000): p50"), folder.PercentileMs(50), "ms");
        var p99 = folder.PercentileMs(99);
        sink.Add(string.Create(CultureInfo.InvariantCulture, $"readDirectory of a {entities / Folders:#,0}-document folder: p99"), p99, "ms", "< 100 ms", p99 < ListTargetMs);
        sink.Note("reads: one caller, a warm-up of as many calls as measured (at most 1,000) per kind; the published sidecar without a server (offline), on a cache seeded through the pull's page writes.");
    }

    /// <summary>A warm-up of as many calls as are measured (at most 1,000): a sidecar lives as long as its window, and
    /// with 50 warm-up calls the tiered JIT was still compiling the read path during the measured ones (p99 2 ms instead
    /// of 0.5 at the same p50).</summary>
    private static async Task MeasureAsync(ResultSink sink, RpcClient client, string label, string method, int calls, Func<long, Action<Utf8JsonWriter>> paramsFor, double targetMs)
    {
        await CallerPool.RunAsync(client, method, Math.Min(calls, 1000), 1, paramsFor);
        var outcome = await CallerPool.RunAsync(client, method, calls, 1, paramsFor);
        sink.Add($"{label}: p50", outcome.Latency.PercentileMs(50), "ms", note: $"N={calls}");
        var p99 = outcome.Latency.PercentileMs(99);
        sink.Add($"{label}: p99", p99, "ms", $"< {targetMs.ToString(CultureInfo.InvariantCulture)} ms", p99 < targetMs);
    }

    private static Action<Utf8JsonWriter> Entity(string id) => json => WriteObject(json, w => w.WriteString("entityId", id));

    private static Action<Utf8JsonWriter> List(string? prefix, string? delimiter, string? cursor, int limit) => json => WriteObject(json, w =>
    {
        if (prefix is not null)
        {
            w.WriteString("prefix", prefix);
        }

        if (delimiter is not null)
        {
            w.WriteString("delimiter", delimiter);
        }

        if (cursor is not null)
        {
            w.WriteString("cursor", cursor);
        }

        w.WriteNumber("limit", limit);
    });

    private static void WriteObject(Utf8JsonWriter json, Action<Utf8JsonWriter> members)
    {
        json.WriteStartObject();
        members(json);
        json.WriteEndObject();
    }

    private static async Task CallAsync(RpcClient client, string method, Action<Utf8JsonWriter> writeParams)
    {
        using var reply = await client.CallAsync(method, writeParams);
        _ = reply.Result;
    }

    private static async Task<JsonElement> StatusAsync(RpcClient client)
    {
        using var reply = await client.CallAsync("offlineSync/getStatus", RequestWriters.Empty);
        return reply.Result.Clone();
    }
}
