using System.Text.Json;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Workspace;
using OfflineSidecar.Host.Settings;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Serve.Handlers;

/// <summary>
/// workspace/didChangeConfiguration: members present overlay the settings in force; <c>serverUrl: null</c>
/// removes the server, an absent serverUrl keeps it. A notification cannot be answered, so a bad value is
/// logged to the client and the whole change is ignored.
/// </summary>
internal sealed class ConfigurationHandler(ISessionSource sessions, SidecarLog log)
{
    private const string Field = "settings.offlineSync";

    public void Register(JsonRpcConnection connection) =>
        connection.AddNotificationHandler(LspMethods.DidChangeConfiguration, OnChangedAsync);

    private async Task OnChangedAsync(DidChangeConfigurationParams p, CancellationToken cancellationToken)
    {
        if (p.Settings?.OfflineSync is not { } section)
        {
            return;
        }

        SidecarSession session = sessions.Session;
        try
        {
            EffectiveSettings next = session.Settings.With(section, Field);
            next = section.ServerUrl.ValueKind switch
            {
                JsonValueKind.Undefined => next,
                JsonValueKind.Null => next with { ServerUrl = null },
                JsonValueKind.String => next with { ServerUrl = ServerUrlParser.Parse(Text(section.ServerUrl), $"{Field}.serverUrl") },
                _ => throw JsonRpcException.InvalidParams($"{Field}.serverUrl", "must be a string or null"),
            };
            await session.ApplyAsync(next);
            log.Info($"configuration applied (server {next.ServerUrl?.ToString() ?? "none"}, mode {next.SyncMode})");
        }
        catch (JsonRpcException ex)
        {
            log.Error($"configuration change ignored: {ex.Message}");
        }
    }

    /// <summary>A JSON string that is no text (invalid UTF-8, an escaped lone surrogate) is invalid params, not a fault.</summary>
    private static string Text(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw JsonRpcException.InvalidParams($"{Field}.serverUrl", "must be text (valid UTF-8, no lone surrogate)");
        }
    }
}
