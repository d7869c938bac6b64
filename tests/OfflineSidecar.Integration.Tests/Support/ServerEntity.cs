using System.Text.Json;

namespace OfflineSidecar.Integration.Tests.Support;

internal sealed record ServerEntity(long Version, JsonElement? Payload, bool Deleted);
