using System.Text.Json;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

internal sealed class RequestHandler<TParams, TResult>(
    RequestType<TParams, TResult> type,
    Func<TParams, CancellationToken, Task<TResult>> handler) : IncomingHandler(type)
{
    public override async Task<ReadOnlyMemory<byte>> InvokeRequestAsync(JsonRpcId id, JsonElement? parameters, CancellationToken cancellationToken)
    {
        TParams bound = ParamsBinder.Bind(parameters, type.ParamsType);
        TResult result = await handler(bound, cancellationToken);
        return MessageWriter.Result(id, result, type.ResultType);
    }

    public override Task InvokeNotificationAsync(JsonElement? parameters, CancellationToken cancellationToken) =>
        throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, $"{type.Method} is a request and needs an id");
}
