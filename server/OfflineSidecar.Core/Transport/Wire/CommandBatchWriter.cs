using System.Buffers;
using System.Globalization;
using System.Text.Json;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Transport.Wire;

/// <summary>
/// Writes the POST /sync/commands body by hand so each payload goes out as the exact text the store validated
/// at enqueue, without parsing it into a DOM and serialising it again.
/// </summary>
internal static class CommandBatchWriter
{
    public static byte[] Write(string workspaceId, string clientId, IReadOnlyList<Operation> operations)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + EstimatePayloadBytes(operations));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("workspaceId", workspaceId);
            json.WriteString("clientId", clientId);
            json.WriteStartArray("commands");
            foreach (var operation in operations)
            {
                WriteCommand(json, operation);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteCommand(Utf8JsonWriter json, Operation operation)
    {
        json.WriteStartObject();
        json.WriteString("commandId", operation.Id);
        json.WriteString("idempotencyKey", operation.IdempotencyKey);
        json.WriteString("type", operation.Type);
        if (operation.EntityId is not null)
        {
            json.WriteString("entityId", operation.EntityId);
        }

        if (operation.ExpectedVersion is { } expected)
        {
            json.WriteNumber("expectedVersion", expected);
        }

        json.WritePropertyName("payload");
        if (operation.PayloadJson is null)
        {
            json.WriteNullValue();
        }
        else
        {
            // The store validated the text at enqueue; validating again would parse every payload a second time.
            json.WriteRawValue(operation.PayloadJson, skipInputValidation: true);
        }

        json.WriteString("createdAt", operation.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        if (operation.ClientTraceId is not null)
        {
            json.WriteString("clientTraceId", operation.ClientTraceId);
        }

        if (operation.Attachments.Count > 0)
        {
            // The blobs went up first (PUT /sync/blobs/{sha256}); the command names them.
            json.WriteStartArray("attachments");
            foreach (var attachment in operation.Attachments)
            {
                json.WriteStartObject();
                json.WriteString("sha256", attachment.Sha256);
                json.WriteString("name", attachment.Name);
                if (attachment.MediaType is not null)
                {
                    json.WriteString("mediaType", attachment.MediaType);
                }

                json.WriteNumber("size", attachment.Size);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static int EstimatePayloadBytes(IReadOnlyList<Operation> operations)
    {
        long total = 0;
        foreach (var operation in operations)
        {
            total += operation.PayloadBytes + 160;
        }

        return (int)Math.Min(total, 64 * 1024 * 1024);
    }
}
