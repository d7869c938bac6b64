using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PolyType;
using StreamJsonRpc;

namespace OfflineSidecar.Bench.RpcEcho;

/// <summary>StreamJsonRpc over stdio the way its NativeAOT guide asks: HeaderDelimitedMessageHandler (LSP framing),
/// SystemTextJsonFormatter with the source-generated context, and a target described by a PolyType shape instead of
/// reflection.</summary>
internal static class StreamJsonRpcServer
{
    public static async Task<int> RunAsync()
    {
        var formatter = new SystemTextJsonFormatter();
        // The formatter's own resolver stays behind ours: it describes the error data StreamJsonRpc writes itself.
        JsonSerializerOptions options = formatter.JsonSerializerOptions;
        if (Environment.GetEnvironmentVariable("BENCH_RPC_TRACE") == "1")
        {
            Console.Error.WriteLine($"formatter resolver: {options.TypeInfoResolver?.GetType().FullName ?? "none"}, naming {options.PropertyNamingPolicy}");
        }

        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(EchoJsonContext.Default, options.TypeInfoResolver);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        var handler = new HeaderDelimitedMessageHandler(Console.OpenStandardOutput(), Console.OpenStandardInput(), formatter);
        using var rpc = new StreamJsonRpc.JsonRpc(handler);
        if (Environment.GetEnvironmentVariable("BENCH_RPC_TRACE") == "1")
        {
            rpc.TraceSource.Switch.Level = System.Diagnostics.SourceLevels.Verbose;
            rpc.TraceSource.Listeners.Add(new System.Diagnostics.ConsoleTraceListener(useErrorStream: true));
        }

        rpc.AddLocalRpcTarget(RpcTargetMetadata.FromShape<EchoTarget>(), new EchoTarget(), null);
        rpc.StartListening();
        await rpc.Completion.ContinueWith(static _ => { }, TaskScheduler.Default);
        return 0;
    }
}

[GenerateShape(IncludeMethods = MethodShapeFlags.PublicInstance)]
public sealed partial class EchoTarget
{
    [JsonRpcMethod("bench/enqueue", UseSingleObjectParameterDeserialization = true)]
    public Task<EnqueueLikeResult> EnqueueAsync(EnqueueLikeParams p) => Task.FromResult(EchoWork.Enqueue(p));

    [JsonRpcMethod("bench/wait", UseSingleObjectParameterDeserialization = true)]
    public Task<WaitResult> WaitAsync(WaitParams p, CancellationToken cancellationToken) => EchoWork.WaitAsync(p, cancellationToken);
}
