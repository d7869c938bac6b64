using System.Text.Json;

namespace OfflineSidecar.Host.Protocol.Workspace;

/// <summary>
/// The <c>offlineSync</c> configuration section: settings plus the server URL.
/// <see cref="ServerUrl"/> is raw JSON because absent (keep the current URL) and <c>null</c> (no server) differ.
/// </summary>
public sealed record OfflineSyncConfigurationSection : PartialSettings
{
    public JsonElement ServerUrl { get; init; }
}
