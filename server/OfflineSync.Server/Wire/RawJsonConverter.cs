using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfflineSync.Server.Wire;

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var source = RawJsonSource.Current;
        var start = reader.TokenStartIndex;
        if (!reader.HasValueSequence && start < source.Length && source[(int)start] == FirstByteOf(reader.TokenType))
        {
            // Skip walks (and so validates) the whole value; its bytes are then the input from the token's start
            // to where the reader stands.
            reader.Skip();
            return new RawJson(source[(int)start..(int)reader.BytesConsumed].ToArray());
        }

        // Not reading a body of RawJsonSource (admin requests, streams): parse the value to copy its text.
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(JsonMarshal.GetRawUtf8Value(document.RootElement).ToArray());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        // The text was validated when it was first read, before it was stored.
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
    }

    /// <summary>The byte a token of this type starts with, or 0 where it varies (numbers), so that a reader that
    /// is not over <see cref="RawJsonSource.Current"/> is told apart with near certainty.</summary>
    private static byte FirstByteOf(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => (byte)'{',
        JsonTokenType.StartArray => (byte)'[',
        JsonTokenType.String => (byte)'"',
        JsonTokenType.True => (byte)'t',
        JsonTokenType.False => (byte)'f',
        JsonTokenType.Null => (byte)'n',
        _ => 0,
    };
}
