using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

/// <summary>Serializes outgoing envelopes; members always in the order jsonrpc, id, method, params/result/error.</summary>
internal static class MessageWriter
{
    public static ReadOnlyMemory<byte> Result<T>(JsonRpcId id, T result, JsonTypeInfo<T> resultType) =>
        Write(writer =>
        {
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            writer.WritePropertyName("result"u8);
            JsonSerializer.Serialize(writer, result, resultType);
        });

    public static ReadOnlyMemory<byte> Error(JsonRpcId id, JsonRpcError error) =>
        Write(writer =>
        {
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            writer.WriteEndObject();
        });

    public static ReadOnlyMemory<byte> Error(JsonRpcId id, int code, string message) => Error(id, new JsonRpcError(code, message));

    public static ReadOnlyMemory<byte> Notification<T>(string method, T parameters, JsonTypeInfo<T> paramsType) =>
        Write(writer =>
        {
            writer.WriteString("method"u8, method);
            writer.WritePropertyName("params"u8);
            JsonSerializer.Serialize(writer, parameters, paramsType);
        });

    public static ReadOnlyMemory<byte> Request<T>(JsonRpcId id, string method, T parameters, JsonTypeInfo<T> paramsType) =>
        Write(writer =>
        {
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            writer.WriteString("method"u8, method);
            writer.WritePropertyName("params"u8);
            JsonSerializer.Serialize(writer, parameters, paramsType);
        });

    public static ReadOnlyMemory<byte> CancelRequest(JsonRpcId id) =>
        Write(writer =>
        {
            writer.WriteString("method"u8, "$/cancelRequest"u8);
            writer.WriteStartObject("params"u8);
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            writer.WriteEndObject();
        });

    /// <summary>A batch answer: the members' responses as one JSON array.</summary>
    public static ReadOnlyMemory<byte> Batch(IReadOnlyList<ReadOnlyMemory<byte>> responses)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("["u8);
        for (int i = 0; i < responses.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }

            buffer.Write(responses[i].Span);
        }

        buffer.Write("]"u8);
        return buffer.WrittenMemory;
    }

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
