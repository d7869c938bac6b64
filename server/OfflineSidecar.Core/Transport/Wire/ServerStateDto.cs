using System.Text.Json;

namespace OfflineSidecar.Core.Transport.Wire;

internal sealed class ServerStateDto
{
    public long Version { get; set; }
    /// <summary>Kept as an element so the raw text can be stored without a typed model of user payloads.</summary>
    public JsonElement? Payload { get; set; }
}
