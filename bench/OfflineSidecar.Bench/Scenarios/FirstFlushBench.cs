using System.Diagnostics;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Bench.Server;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// Operations queued while the configured server is down; the server then starts on that port. Measured: server
/// spawn → "listening", and → the sidecar's first flushStarted. Passive (the sidecar finds the server through its
/// health-probe backoff: 1 s, doubling, at most 30 s) and nudged (the client calls syncNow as soon as it listens).
/// </summary>
internal static class FirstFlushBench
{
    public static async Task RunAsync(ResultSink sink, int ops, TimeSpan down, bool nudge)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var port = FreePort.Pick();
        using var serverDir = new TempDirectory("flush-server");
        using var sidecarDir = new TempDirectory("flush-sidecar");
        await using var sidecar = await SidecarProcess.StartReadyAsync(new SidecarLaunch(sidecarDir.Path) { ServerUrl = $"http://127.0.0.1:{port}" });
        var client = sidecar.Client;
        long firstFlushAt = 0;
        client.Notified += (method, p) =>
        {
            if (method == "offlineSync/syncEvent" && p.GetProperty("kind").GetString() == "flushStarted")
            {
                Interlocked.CompareExchange(ref firstFlushAt, Stopwatch.GetTimestamp(), 0);
            }
        };
        await CallerPool.RunAsync(client, "offlineSync/enqueue", ops, 8, i => RequestWriters.Enqueue(i, 100));
        await Task.Delay(down);

        await using var server = await SyncServerProcess.StartAsync(serverDir.Path, port);
        if (nudge)
        {
            using var reply = await client.CallAsync("offlineSync/syncNow", RequestWriters.Empty);
            _ = reply.Result;
        }

        var limit = Stopwatch.GetTimestamp() + 90 * Stopwatch.Frequency;
        while (Interlocked.Read(ref firstFlushAt) == 0 && Stopwatch.GetTimestamp() < limit)
        {
            await Task.Delay(5);
        }

        var label = nudge ? $"server down {down.TotalSeconds:0} s, syncNow at listening" : $"server down {down.TotalSeconds:0} s, passive (probe backoff)";
        sink.Add($"{label}: server spawn → listening", LatencySamples.ToMs(server.ListeningAt - server.StartedAt), "ms");
        var flushed = Interlocked.Read(ref firstFlushAt);
        if (flushed == 0)
        {
            sink.Note($"{label}: no flushStarted within 90 s");
            return;
        }

        sink.Add($"{label}: server spawn → first flushStarted", LatencySamples.ToMs(flushed - server.StartedAt), "ms");
        sink.Add($"{label}: listening → first flushStarted", LatencySamples.ToMs(flushed - server.ListeningAt), "ms");
    }
}
