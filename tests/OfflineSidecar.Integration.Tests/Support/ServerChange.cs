using System.Text.Json;

namespace OfflineSidecar.Integration.Tests.Support;

internal sealed record ServerChange(string EntityId, string Type, long Version, JsonElement? Payload, bool Deleted);
