using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OfflineSidecar.Core.Documents;

/// <summary>
/// A text document as a <c>document.put.v1</c> payload: <c>{"content": "&lt;text&gt;", "encoding": "utf-8"}</c>.
/// Any other payload is still cached and shown, as its JSON text; only documents can be merged.
/// </summary>
public static class DocumentPayload
{
    public const string Encoding = "utf-8";

    /// <summary>The text of a document payload; null when the payload is not one.</summary>
    public static string? TryReadContent(string? payloadJson)
    {
        if (payloadJson is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payloadJson);
            return ContentOf(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The text of a parsed document payload; null when it is not one (no string content, or another encoding).</summary>
    public static string? ContentOf(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("content", out var content)
            || content.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // A null encoding means the default, as an absent one does (the SQL twin, DocumentSql.SizeOf, reads it so).
        if (payload.TryGetProperty("encoding", out var encoding)
            && encoding.ValueKind != JsonValueKind.Null
            && !(encoding.ValueKind == JsonValueKind.String && string.Equals(encoding.GetString(), Encoding, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        try
        {
            return content.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate is valid JSON but no text; such a payload is not a document.
            return null;
        }
    }

    /// <summary>The payload for <paramref name="content"/>.</summary>
    public static string Create(string content)
    {
        var buffer = new ArrayBufferWriter<byte>(content.Length + 48);
        // Relaxed: the text stays readable (and smaller) in the database and on the wire instead of \uXXXX escapes.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("content", content);
            writer.WriteString("encoding", Encoding);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
