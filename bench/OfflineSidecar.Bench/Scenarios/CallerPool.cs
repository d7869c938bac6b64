using System.Text.Json;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// N calls spread over C callers on one connection: each caller sends, awaits its answer, sends the next, so
/// exactly C requests are outstanding. Latency is from just before the send to the answer's frame being read.
/// Runs on <see cref="PipelinedLoad"/>: requests encoded up front, answers routed on the read loop, the requests
/// one read releases written together; so the client's own CPU stays small next to the sidecar's.
/// </summary>
internal static class CallerPool
{
    public sealed record Outcome(double OpsPerSecond, LatencySamples Latency, TimeSpan Elapsed);

    public static async Task<Outcome> RunAsync(RpcClient client, string method, int calls, int callers, Func<long, Action<Utf8JsonWriter>> paramsFor, long firstIndex = 0)
    {
        var (latency, elapsed) = await PipelinedLoad.RunAsync(client, method, calls, callers, paramsFor, firstIndex);
        return new Outcome(calls / elapsed.TotalSeconds, latency, elapsed);
    }
}
