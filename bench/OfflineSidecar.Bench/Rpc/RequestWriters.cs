using System.Text.Json;
using OfflineSidecar.Bench.Infra;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>Params writers for the calls the scenarios make.</summary>
internal static class RequestWriters
{
    public static Action<Utf8JsonWriter> Enqueue(long index, int entities) => json =>
    {
        json.WriteStartObject();
        json.WriteString("type", Payloads.Type);
        if (entities > 0)
        {
            json.WriteString("entityId", Payloads.EntityId(index, entities));
        }

        json.WritePropertyName("payload");
        json.WriteRawValue(Payloads.Json(index), skipInputValidation: true);
        json.WriteEndObject();
    };

    public static void Empty(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteEndObject();
    }

    public static Action<Utf8JsonWriter> List(int limit, string? cursor = null, string[]? statuses = null, string? entityId = null) => json =>
    {
        json.WriteStartObject();
        json.WriteNumber("limit", limit);
        if (cursor is not null)
        {
            json.WriteString("cursor", cursor);
        }

        if (statuses is not null)
        {
            json.WriteStartArray("statuses");
            foreach (var status in statuses)
            {
                json.WriteStringValue(status);
            }

            json.WriteEndArray();
        }

        if (entityId is not null)
        {
            json.WriteString("entityId", entityId);
        }

        json.WriteEndObject();
    };

    public static Action<Utf8JsonWriter> WorkOffline(bool enabled) => json =>
    {
        json.WriteStartObject();
        json.WriteBoolean("enabled", enabled);
        json.WriteEndObject();
    };
}
