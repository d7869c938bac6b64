using System.Text.Json.Serialization.Metadata;

namespace OfflineSidecar.JsonRpc.Messages;

public sealed class NotificationType<TParams>(string method, MessageDirection direction, JsonTypeInfo<TParams> paramsType)
    : MessageType(method, direction)
{
    public JsonTypeInfo<TParams> ParamsType { get; } = paramsType ?? throw new ArgumentNullException(nameof(paramsType));

    public override MessageKind Kind => MessageKind.Notification;
}
