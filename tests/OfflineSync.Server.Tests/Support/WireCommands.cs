using System.Text.Json.Nodes;

namespace OfflineSync.Server.Tests.Support;

/// <summary>Builds commands as the wire JSON the protocol document shows, not through the server's types,
/// so a renamed wire member fails the tests.</summary>
internal static class WireCommands
{
    public static JsonObject Put(string key, string entityId, JsonNode? payload, long? expectedVersion = null, string? commandId = null) =>
        Make("document.put.v1", key, entityId, payload, expectedVersion, commandId);

    public static JsonObject Delete(string key, string entityId, long? expectedVersion = null, string? commandId = null) =>
        Make("document.delete.v1", key, entityId, null, expectedVersion, commandId);

    public static JsonObject OfType(string type, string key, string? entityId = null, JsonNode? payload = null, string? commandId = null) =>
        Make(type, key, entityId, payload, null, commandId);

    private static JsonObject Make(string type, string key, string? entityId, JsonNode? payload, long? expectedVersion, string? commandId)
    {
        var command = new JsonObject
        {
            ["commandId"] = commandId ?? "cmd-" + key,
            ["idempotencyKey"] = key,
            ["type"] = type,
            ["payload"] = payload,
            ["createdAt"] = "2026-01-02T03:04:05.000Z",
        };
        if (entityId is not null)
        {
            command["entityId"] = entityId;
        }

        if (expectedVersion is not null)
        {
            command["expectedVersion"] = expectedVersion.Value;
        }

        return command;
    }
}
