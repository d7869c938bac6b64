using System.Globalization;
using System.Text.Json;

namespace OfflineSidecar.Core.Transport.Wire;

/// <summary>Reads <c>serverTime</c> from a <c>GET /sync/health</c> answer; anything unusable is no reading at all.</summary>
internal static class HealthAnswerReader
{
    public static DateTimeOffset? ReadServerTime(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("serverTime", out var value)
                && value.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var serverTime)
                ? serverTime
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
