namespace OfflineSidecar.JsonRpc.Messages;

/// <summary>Thrown by a handler to answer with a specific error, or by <c>SendRequestAsync</c> when the peer
/// answered with one.</summary>
public sealed class JsonRpcException : Exception
{
    public JsonRpcException(int code, string message) : base(message) => Code = code;

    public JsonRpcException() : this(JsonRpcErrorCodes.InternalError, "internal error") { }

    public JsonRpcException(string message) : this(JsonRpcErrorCodes.InternalError, message) { }

    public JsonRpcException(string message, Exception inner) : base(message, inner) => Code = JsonRpcErrorCodes.InternalError;

    public int Code { get; }

    public JsonRpcError ToError() => new(Code, Message);

    /// <summary>-32602 with the <c>"field: problem"</c> message shape the protocol promises.</summary>
    public static JsonRpcException InvalidParams(string field, string problem) =>
        new(JsonRpcErrorCodes.InvalidParams, $"{field}: {problem}");
}
