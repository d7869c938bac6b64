using System.Text.Json;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

/// <summary>A request this side sent, waiting for the peer's response.</summary>
internal abstract class PendingOutgoingRequest
{
    /// <summary>Called on the read loop while <paramref name="result"/> is still valid.</summary>
    public abstract void Complete(JsonElement result);

    public abstract void Fail(Exception error);
}
