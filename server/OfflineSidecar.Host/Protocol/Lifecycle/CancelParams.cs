using System.Text.Json;

namespace OfflineSidecar.Host.Protocol.Lifecycle;

/// <summary><c>$/cancelRequest</c> params; the id is an integer or a string. Handled inside the JSON-RPC layer.</summary>
public sealed record CancelParams
{
    public required JsonElement Id { get; init; }
}
