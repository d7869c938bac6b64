using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfflineSidecar.Bench.RpcEcho;

/// <summary>Shaped like <c>offlineSync/enqueue</c>'s params: two required members, a raw JSON payload, optional extras.</summary>
public sealed record EnqueueLikeParams
{
    public required string Type { get; init; }

    public required JsonElement Payload { get; init; }

    public string? EntityId { get; init; }

    public string? IdempotencyKey { get; init; }

    public int? Priority { get; init; }
}

public sealed record EnqueueLikeResult(string Id, int Status, bool Coalesced);

/// <summary>A request that runs until cancelled (or <see cref="Milliseconds"/> pass): the <c>$/cancelRequest</c> probe.</summary>
public sealed record WaitParams
{
    public required int Milliseconds { get; init; }
}

public sealed record WaitResult(bool Completed);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnqueueLikeParams))]
[JsonSerializable(typeof(EnqueueLikeResult))]
[JsonSerializable(typeof(WaitParams))]
[JsonSerializable(typeof(WaitResult))]
// StreamJsonRpc's own types: the `data` of the errors it writes and the id of `$/cancelRequest`. With a source-generated
// resolver and these missing, errors are not written and cancellation is ignored (a warning in its trace, nothing else).
[JsonSerializable(typeof(StreamJsonRpc.Protocol.CommonErrorData))]
[JsonSerializable(typeof(StreamJsonRpc.RequestId))]
internal sealed partial class EchoJsonContext : JsonSerializerContext;

/// <summary>What both servers answer: the same work, so only the JSON-RPC layer differs.</summary>
internal static class EchoWork
{
    private static long s_next;

    public static EnqueueLikeResult Enqueue(EnqueueLikeParams p) =>
        new($"01JECHO{Interlocked.Increment(ref s_next):D19}", 0, p.Payload.ValueKind != JsonValueKind.Object);

    public static async Task<WaitResult> WaitAsync(WaitParams p, CancellationToken cancellationToken)
    {
        await Task.Delay(p.Milliseconds, cancellationToken);
        return new WaitResult(true);
    }
}
