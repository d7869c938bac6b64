using System.Diagnostics;
using System.Text.Json;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// N calls spread over C callers on one connection: each caller sends, awaits its answer, sends the next, so
/// exactly C requests are outstanding. Latency is from just before the send to the answer's frame being read.
/// </summary>
internal static class CallerPool
{
    public sealed record Outcome(double OpsPerSecond, LatencySamples Latency, TimeSpan Elapsed);

    public static async Task<Outcome> RunAsync(RpcClient client, string method, int calls, int callers, Func<long, Action<Utf8JsonWriter>> paramsFor, long firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(paramsFor);
        var next = firstIndex - 1;
        var last = firstIndex + calls - 1;
        var perCaller = new LatencySamples[callers];
        var started = Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var samples = perCaller[c] = new LatencySamples(calls / callers + 1);
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index > last)
                {
                    return;
                }

                var sent = Stopwatch.GetTimestamp();
                using var reply = await client.CallAsync(method, paramsFor(index));
                samples.Add(reply.ReceivedAt - sent);
                _ = reply.Result; // throws on an error answer
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = new LatencySamples(calls);
        foreach (var samples in perCaller)
        {
            all.AddRange(samples);
        }

        return new Outcome(calls / elapsed.TotalSeconds, all, elapsed);
    }
}
