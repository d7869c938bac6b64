using OfflineSidecar.JsonRpc.Framing;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

public sealed record JsonRpcConnectionOptions
{
    public FrameReaderOptions Framing { get; init; } = new();

    /// <summary>Handlers running at once (requests and notifications). When all slots are busy the read loop
    /// waits, which pushes back on the client.</summary>
    public int MaxConcurrentHandlers { get; init; } = 64;

    public IMessageGate? Gate { get; init; }

    /// <summary>Turns a handler's exception into an error response; null means -32603.</summary>
    public Func<Exception, JsonRpcError?>? ErrorMapper { get; init; }

    public Action<JsonRpcLogLevel, string>? Log { get; init; }
}
