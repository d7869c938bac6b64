using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Protocol;

/// <summary>One line of <c>offline-sidecar protocol --json</c>, compared with extension/src/protocol.ts and the docs.</summary>
public sealed record MessageDescription(string Method, MessageDirection Direction, MessageKind Kind)
{
    public static MessageDescription Of(MessageType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return new(type.Method, type.Direction, type.Kind);
    }
}
