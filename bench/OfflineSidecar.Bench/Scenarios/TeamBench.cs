using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Bench.Server;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// A team draining at once: 8 sidecars (8 people, each in a workspace of their own), each with its share of the
/// operations queued offline, go online together against (a) one server on SQLite and (b) 1, 2 and 4 replicas on one
/// PostgreSQL database behind haproxy (scripts/replicas.sh, round robin). Reports commands/s until every queue is empty,
/// the servers' and the database's CPU per command, and the rate at which the changes feed is read back through the
/// same front (every workspace, pages of 1,000). The same run measures every configuration, so their ratios hold on a
/// shared machine even when the absolute figures do not.
/// </summary>
internal static class TeamBench
{
    private const int Sidecars = 8;

    public static async Task RunAsync(ResultSink sink, int operations, string? postgresUrl, IReadOnlyList<string> configurations)
    {
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var configuration in configurations)
        {
            if (configuration == "sqlite")
            {
                using var serverDir = new TempDirectory("team-server");
                await using var server = await SyncServerProcess.StartAsync(serverDir.Path);
                await MeasureAsync(sink, "SQLite, 1 server", server.Url, operations, () => ProcessCpu.Of(server.Pid), () => TimeSpan.Zero);
                continue;
            }

            var replicas = int.Parse(configuration.AsSpan("pg".Length), NumberStyles.None, CultureInfo.InvariantCulture);
            var url = postgresUrl ?? throw new InvalidOperationException($"BENCH_TEAM names {configuration} but BENCH_POSTGRES holds no URL");
            await using var database = await BenchPostgres.CreateAsync(url);
            await using var set = await ReplicaSet.StartAsync(replicas, ["--store", database.StoreUrl]);
            await MeasureAsync(sink, $"PostgreSQL, {replicas} replica{(replicas == 1 ? "" : "s")} behind haproxy", set.Balancer, operations, set.ServerCpu, database.ClusterCpu);
        }
    }

    private static async Task MeasureAsync(ResultSink sink, string label, string serverUrl, int operations, Func<TimeSpan> serverCpu, Func<TimeSpan> databaseCpu)
    {
        var each = operations / Sidecars;
        var directories = Enumerable.Range(0, Sidecars).Select(i => new TempDirectory($"team-sidecar-{i}")).ToList();
        var sidecars = new List<SidecarProcess>();
        try
        {
            for (var i = 0; i < Sidecars; i++)
            {
                sidecars.Add(await SidecarProcess.StartReadyAsync(new SidecarLaunch(directories[i].Path)
                {
                    ServerUrl = serverUrl,
                    WorkOffline = true,
                    WorkspaceId = Workspace(i),
                }));
            }

            await Task.WhenAll(sidecars.Select(s => CallerPool.RunAsync(s.Client, "offlineSync/enqueue", each, 16, i => RequestWriters.Enqueue(i, 100))));
            var serverBefore = serverCpu();
            var databaseBefore = databaseCpu();
            var go = Stopwatch.GetTimestamp();
            await Task.WhenAll(sidecars.Select(s => DrainBench.SetWorkOfflineAsync(s.Client, false)));
            var settled = await Task.WhenAll(sidecars.Select(s => DrainBench.WaitUntilSettledAsync(s.Client, TimeSpan.FromMinutes(15))));
            var elapsed = Stopwatch.GetElapsedTime(go);
            var total = each * Sidecars;
            var serverUs = (serverCpu() - serverBefore).TotalMilliseconds * 1000 / total;
            var databaseUs = (databaseCpu() - databaseBefore).TotalMilliseconds * 1000 / total;
            sink.Add($"{label}: 8 sidecars drained", total / elapsed.TotalSeconds, "commands/s",
                note: string.Create(CultureInfo.InvariantCulture, $"N={total}, {elapsed.TotalSeconds:0.0} s{(settled.All(s => s.Done) ? "" : ", did NOT settle")}"));
            sink.Add($"{label}: server CPU per command", serverUs, "µs", note: "all replicas");
            if (databaseUs > 0)
            {
                sink.Add($"{label}: PostgreSQL CPU per command", databaseUs, "µs");
            }

            var (changes, readFor) = await ReadFeedsAsync(serverUrl);
            sink.Add($"{label}: feed read back", changes / readFor.TotalSeconds, "changes/s",
                changes == total ? null : $"= {total}", changes == total ? null : false, string.Create(CultureInfo.InvariantCulture, $"{changes} changes, pages of 1,000"));
        }
        finally
        {
            foreach (var sidecar in sidecars)
            {
                await sidecar.DisposeAsync();
            }

            directories.ForEach(d => d.Dispose());
        }
    }

    private static string Workspace(int i) => string.Create(CultureInfo.InvariantCulture, $"team-{i}");

    private static async Task<(long Changes, TimeSpan Elapsed)> ReadFeedsAsync(string serverUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(serverUrl.TrimEnd('/') + "/") };
        long changes = 0;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Sidecars; i++)
        {
            string? cursor = null;
            while (true)
            {
                var url = $"sync/changes?workspaceId={Workspace(i)}&limit=1000" + (cursor is null ? "" : "&since=" + Uri.EscapeDataString(cursor));
                using var page = JsonDocument.Parse(await http.GetStringAsync(url));
                changes += page.RootElement.GetProperty("changes").GetArrayLength();
                if (!page.RootElement.GetProperty("hasMore").GetBoolean())
                {
                    break;
                }

                cursor = page.RootElement.GetProperty("cursor").GetString();
            }
        }

        return (changes, Stopwatch.GetElapsedTime(started));
    }
}
