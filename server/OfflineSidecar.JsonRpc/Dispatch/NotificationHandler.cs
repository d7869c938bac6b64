using System.Text.Json;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

internal sealed class NotificationHandler<TParams>(
    NotificationType<TParams> type,
    Func<TParams, CancellationToken, Task> handler) : IncomingHandler(type)
{
    public override Task<ReadOnlyMemory<byte>> InvokeRequestAsync(JsonRpcId id, JsonElement? parameters, CancellationToken cancellationToken) =>
        throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, $"{type.Method} is a notification and takes no id");

    public override Task InvokeNotificationAsync(JsonElement? parameters, CancellationToken cancellationToken)
    {
        TParams bound = ParamsBinder.Bind(parameters, type.ParamsType);
        return handler(bound, cancellationToken);
    }
}
