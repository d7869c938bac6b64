using System.Text.Json.Serialization.Metadata;

namespace OfflineSidecar.JsonRpc.Messages;

/// <summary>A request with typed, source-generated (de)serialization of its params and result.</summary>
public sealed class RequestType<TParams, TResult>(
    string method,
    MessageDirection direction,
    JsonTypeInfo<TParams> paramsType,
    JsonTypeInfo<TResult> resultType) : MessageType(method, direction)
{
    public JsonTypeInfo<TParams> ParamsType { get; } = paramsType ?? throw new ArgumentNullException(nameof(paramsType));

    public JsonTypeInfo<TResult> ResultType { get; } = resultType ?? throw new ArgumentNullException(nameof(resultType));

    public override MessageKind Kind => MessageKind.Request;
}
