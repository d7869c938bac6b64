using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Server;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// The published reference server alone: C HTTP/1.1 keep-alive clients POST pre-built batches of 50
/// document.put.v1 commands over 1,000 entities (fresh idempotency keys), each client sending its next batch
/// as soon as the previous one is answered. Measures what the server costs per command, without the sidecar, on its
/// SQLite store or on PostgreSQL (where the database's own CPU per command is reported too).
/// </summary>
internal static class ServerBench
{
    private const int BatchSize = 50;
    private const int Entities = 1_000;
    private const string Workspace = "bench";

    /// <param name="postgresUrl">Run the server on a fresh schema of this PostgreSQL database; null: on SQLite.</param>
    public static async Task RunAsync(ResultSink sink, int commands, int callers, string? postgresUrl = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var batches = Math.Max(1, commands / BatchSize);
        var warmup = Math.Max(callers * 4, batches / 10);
        using var serverDir = new TempDirectory("server-bench");
        await using var postgres = postgresUrl is null ? null : await BenchPostgres.CreateAsync(postgresUrl);
        await using var server = await SyncServerProcess.StartOnAsync(postgres is null ? ["--data-dir", serverDir.Path] : ["--store", postgres.StoreUrl]);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = callers, UseProxy = false })
        {
            BaseAddress = new Uri(server.Url),
            Timeout = TimeSpan.FromSeconds(60),
        };

        // Bodies are built before the clock starts so the figures are the server's, not the client's JSON work.
        var warmupBodies = BuildBodies(0, warmup);
        var bodies = BuildBodies(warmup, batches);
        await PostAllAsync(http, warmupBodies, callers);
        await server.ResetStatsAsync();

        var store = postgres is null ? "" : "PostgreSQL, ";
        var label = string.Create(CultureInfo.InvariantCulture, $"{store}{callers} client{(callers == 1 ? "" : "s")}, batch {BatchSize}");
        var cpuBefore = ProcessCpu.Of(server.Pid);
        var databaseCpuBefore = postgres?.ClusterCpu();
        var started = Stopwatch.GetTimestamp();
        var latency = await PostAllAsync(http, bodies, callers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = ProcessCpu.Of(server.Pid) - cpuBefore;
        var databaseCpu = postgres?.ClusterCpu() - databaseCpuBefore;
        var total = batches * BatchSize;
        var stats = await server.StatsAsync();
        var applied = stats.GetProperty("applied").GetInt64();

        sink.Add($"{label}: commands applied per second", total / elapsed.TotalSeconds, "cmd/s", note: $"N={total}");
        sink.Add($"{label}: batch p50", latency.PercentileMs(50), "ms");
        sink.Add($"{label}: batch p99", latency.PercentileMs(99), "ms");
        sink.Add($"{label}: server CPU per command", cpu.TotalMilliseconds * 1000 / total, "µs");
        if (databaseCpu is { } database)
        {
            sink.Add($"{label}: PostgreSQL CPU per command", database.TotalMilliseconds * 1000 / total, "µs");
        }

        sink.Add($"{label}: server applied", applied, "cmds", $"= {total}", applied == total);
    }

    private static async Task<LatencySamples> PostAllAsync(HttpClient http, byte[][] bodies, int callers)
    {
        var next = -1;
        var perCaller = new LatencySamples[callers];
        var tasks = Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var samples = perCaller[c] = new LatencySamples(bodies.Length / callers + 1);
            while (Interlocked.Increment(ref next) is var index && index < bodies.Length)
            {
                using var content = new ByteArrayContent(bodies[index]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(new Uri("/sync/commands", UriKind.Relative), content);
                var answer = await response.Content.ReadAsByteArrayAsync();
                samples.Add(Stopwatch.GetTimestamp() - sent);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST /sync/commands answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(answer)}");
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var all = new LatencySamples(bodies.Length);
        foreach (var samples in perCaller)
        {
            all.AddRange(samples);
        }

        return all;
    }

    private static byte[][] BuildBodies(int firstBatch, int count)
    {
        var bodies = new byte[count][];
        for (var b = 0; b < count; b++)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("workspaceId", Workspace);
                writer.WriteString("clientId", "server-bench");
                writer.WriteStartArray("commands");
                for (var i = 0; i < BatchSize; i++)
                {
                    var index = (long)(firstBatch + b) * BatchSize + i;
                    var id = index.ToString(CultureInfo.InvariantCulture);
                    writer.WriteStartObject();
                    writer.WriteString("commandId", "op-" + id);
                    writer.WriteString("idempotencyKey", "key-" + id);
                    writer.WriteString("type", Payloads.Type);
                    writer.WriteString("entityId", Payloads.EntityId(index, Entities));
                    writer.WritePropertyName("payload");
                    writer.WriteRawValue(Payloads.Json(index));
                    writer.WriteString("createdAt", "2026-11-22T10:00:00.000Z");
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            bodies[b] = buffer.ToArray();
        }

        return bodies;
    }
}
