using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Messages;
using OfflineSidecar.JsonRpc.Stdio;

namespace OfflineSidecar.Bench.RpcEcho;

/// <summary>OfflineSidecar.JsonRpc over stdio, set up as the sidecar's StdioSidecar does (StdioPipes: blocking stdin
/// reads on a thread of its own, 64 KiB pipes), with no lifecycle gate, store or session: the JSON-RPC layer alone.</summary>
internal static class OursServer
{
    private static readonly RequestType<EnqueueLikeParams, EnqueueLikeResult> Enqueue = new(
        "bench/enqueue", MessageDirection.ClientToServer, () => EchoJsonContext.Default.EnqueueLikeParams, () => EchoJsonContext.Default.EnqueueLikeResult);

    private static readonly RequestType<WaitParams, WaitResult> Wait = new(
        "bench/wait", MessageDirection.ClientToServer, () => EchoJsonContext.Default.WaitParams, () => EchoJsonContext.Default.WaitResult);

    public static async Task<int> RunAsync()
    {
        await using var connection = new JsonRpcConnection(StdioPipes.OpenInput(), StdioPipes.OpenOutput(), new JsonRpcConnectionOptions
        {
            Log = (level, message) => Console.Error.WriteLine($"[ours {level}] {message}"),
        });
        connection.AddRequestHandler(Enqueue, (p, _) => Task.FromResult(EchoWork.Enqueue(p)));
        connection.AddRequestHandler(Wait, EchoWork.WaitAsync);
        await StdioPipes.RunReadLoopAsync(() => connection.RunAsync());
        return 0;
    }
}
