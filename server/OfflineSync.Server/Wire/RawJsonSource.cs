using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSync.Server.Wire;

/// <summary>
/// Lets <see cref="RawJsonConverter"/> slice a payload's bytes straight out of the body being deserialized on
/// this thread, instead of building a JsonDocument per payload only to copy its text out again. A converter sees
/// only the reader, whose token indices are offsets into the input it was given: this body.
/// </summary>
internal static class RawJsonSource
{
    [ThreadStatic]
    private static ReadOnlyMemory<byte> current;

    /// <summary>The input of the deserialization running on this thread; empty outside <see cref="Deserialize"/>.</summary>
    public static ReadOnlySpan<byte> Current => current.Span;

    /// <summary>Deserializes a complete body in one synchronous pass (a leading UTF-8 BOM is skipped, as the
    /// stream deserializer did).</summary>
    public static T? Deserialize<T>(ReadOnlyMemory<byte> utf8Json, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (utf8Json.Span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        var previous = current;
        current = utf8Json;
        try
        {
            return JsonSerializer.Deserialize(utf8Json.Span, typeInfo);
        }
        finally
        {
            current = previous;
        }
    }
}
