using System.Text.Json.Serialization.Metadata;

namespace OfflineSidecar.JsonRpc.Messages;

/// <summary>
/// A request with typed, source-generated (de)serialization of its params and result. The type metadata is
/// resolved on first use, not at declaration: building every protocol type's metadata up front costs startup time.
/// </summary>
public sealed class RequestType<TParams, TResult>(
    string method,
    MessageDirection direction,
    Func<JsonTypeInfo<TParams>> paramsType,
    Func<JsonTypeInfo<TResult>> resultType) : MessageType(method, direction)
{
    private readonly Func<JsonTypeInfo<TParams>> paramsType = paramsType ?? throw new ArgumentNullException(nameof(paramsType));
    private readonly Func<JsonTypeInfo<TResult>> resultType = resultType ?? throw new ArgumentNullException(nameof(resultType));

    public JsonTypeInfo<TParams> ParamsType => this.paramsType();

    public JsonTypeInfo<TResult> ResultType => this.resultType();

    public override MessageKind Kind => MessageKind.Request;
}
