using System.Text.Json;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

/// <summary>
/// A registered handler with its params binding. Invoke methods bind params before their first await, so
/// the caller may release the message's JSON as soon as the returned task exists.
/// </summary>
internal abstract class IncomingHandler(MessageType type)
{
    public MessageType Type { get; } = type;

    /// <summary>Returns the serialized success response; errors surface as exceptions.</summary>
    public abstract Task<ReadOnlyMemory<byte>> InvokeRequestAsync(JsonRpcId id, JsonElement? parameters, CancellationToken cancellationToken);

    public abstract Task InvokeNotificationAsync(JsonElement? parameters, CancellationToken cancellationToken);
}
