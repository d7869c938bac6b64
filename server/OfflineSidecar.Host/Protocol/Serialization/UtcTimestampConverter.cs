using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfflineSidecar.Host.Protocol.Serialization;

/// <summary>The protocol's time format: ISO-8601 UTC with milliseconds (<c>2026-11-22T10:00:00.000Z</c>).</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>A value that is no timestamp is a <see cref="JsonException"/>: the params binder answers -32602 naming the field.</summary>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.TryParse(reader.GetString() ?? throw new JsonException("expected a timestamp"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new JsonException("expected an ISO-8601 timestamp");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
    }
}
