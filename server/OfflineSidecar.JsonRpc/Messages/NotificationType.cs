using System.Text.Json.Serialization.Metadata;

namespace OfflineSidecar.JsonRpc.Messages;

/// <summary>A notification; like <see cref="RequestType{TParams, TResult}"/>, its type metadata is resolved on first use.</summary>
public sealed class NotificationType<TParams>(string method, MessageDirection direction, Func<JsonTypeInfo<TParams>> paramsType)
    : MessageType(method, direction)
{
    private readonly Func<JsonTypeInfo<TParams>> paramsType = paramsType ?? throw new ArgumentNullException(nameof(paramsType));

    public JsonTypeInfo<TParams> ParamsType => this.paramsType();

    public override MessageKind Kind => MessageKind.Notification;
}
