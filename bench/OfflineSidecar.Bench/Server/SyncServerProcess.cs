using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace OfflineSidecar.Bench.Server;

/// <summary>The published reference server (dist/sync-server/offline-sync-server) on loopback, and its admin endpoints.</summary>
internal sealed class SyncServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly HttpClient http;

    private SyncServerProcess(Process process, string url, long startedAt, long listeningAt)
    {
        this.process = process;
        Url = url;
        StartedAt = startedAt;
        ListeningAt = listeningAt;
        http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Url { get; }

    public int Pid => process.Id;

    /// <summary>Stopwatch timestamp just before the spawn.</summary>
    public long StartedAt { get; }

    /// <summary>Stopwatch timestamp when the "listening on" line was read.</summary>
    public long ListeningAt { get; }

    public static Task<SyncServerProcess> StartAsync(string dataDir, int port = 0) => StartOnAsync(["--data-dir", dataDir], port);

    /// <param name="storeArguments">Where the server keeps its data: <c>--data-dir D</c> or <c>--store postgres://…</c>.</param>
    public static async Task<SyncServerProcess> StartOnAsync(IEnumerable<string> storeArguments, int port = 0)
    {
        var info = new ProcessStartInfo(Infra.BenchPaths.SyncServer)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        foreach (var argument in storeArguments)
        {
            info.ArgumentList.Add(argument);
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + Infra.BenchPaths.SyncServer);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var listeningAt = Stopwatch.GetTimestamp();
        const string Prefix = "listening on ";
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"offline-sync-server said '{line}' instead of '{Prefix}…'");
        }

        _ = process.StandardOutput.ReadToEndAsync();
        return new SyncServerProcess(process, line[Prefix.Length..].Trim(), startedAt, listeningAt);
    }

    public async Task<JsonElement> StatsAsync()
    {
        using var response = await http.GetAsync(new Uri("/admin/stats", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Writes documents as another client would: POST /sync/commands, 500 document.put.v1 a batch.</summary>
    public async Task SeedDocumentsAsync(string workspaceId, int count, Func<int, string> entityId, Func<int, string> text)
    {
        for (var start = 0; start < count; start += 500)
        {
            var commands = Enumerable.Range(start, Math.Min(500, count - start)).Select(i => new
            {
                commandId = "seed-" + i.ToString(CultureInfo.InvariantCulture),
                idempotencyKey = "seed-" + i.ToString(CultureInfo.InvariantCulture),
                type = "document.put.v1",
                entityId = entityId(i),
                payload = new { content = text(i), encoding = "utf-8" },
            }).ToArray();
            using var response = await http.PostAsJsonAsync(new Uri("/sync/commands", UriKind.Relative), new { workspaceId, clientId = "bench-seeder", commands });
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task ResetStatsAsync()
    {
        using var response = await http.PostAsync(new Uri("/admin/reset-stats", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
