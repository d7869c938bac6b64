using System.Globalization;
using System.Text.Json;

namespace OfflineSidecar.JsonRpc.Messages;

/// <summary>A request id: an integer, a string, or null (only in error responses whose request id is unknown).</summary>
public readonly record struct JsonRpcId
{
    private JsonRpcId(long? number, string? text)
    {
        Number = number;
        Text = text;
    }

    public static JsonRpcId Null => default;

    public long? Number { get; }

    public string? Text { get; }

    public bool IsNull => Number is null && Text is null;

    public static JsonRpcId From(long number) => new(number, null);

    public static JsonRpcId From(string text) => new(null, text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>Accepts the JSON-RPC id forms this library supports: strings and integers.</summary>
    public static bool TryRead(JsonElement element, out JsonRpcId id)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when JsonStrings.TryRead(element, out string text):
                id = From(text);
                return true;
            case JsonValueKind.Number when element.TryGetInt64(out long number):
                id = From(number);
                return true;
            default:
                id = Null;
                return false;
        }
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Number is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else if (Text is { } text)
        {
            writer.WriteStringValue(text);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    public override string ToString() =>
        Number?.ToString(CultureInfo.InvariantCulture) ?? (Text is null ? "null" : $"\"{Text}\"");
}
