using System.Text.Json;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>How to start a sidecar: its data directory and the initializationOptions it gets.</summary>
internal sealed record SidecarLaunch(string DataDir)
{
    public const string Workspace = "bench";

    public string? ServerUrl { get; init; }

    /// <summary>The workspace (default <see cref="Workspace"/>); the team bench gives each sidecar its own.</summary>
    public string WorkspaceId { get; init; } = Workspace;

    /// <summary>"full" (the default) or "normal".</summary>
    public string? Synchronous { get; init; }

    public bool? WorkOffline { get; init; }

    public int? BatchSize { get; init; }

    public double? SyncIntervalSeconds { get; init; }

    public void WriteInitializeParams(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteNumber("processId", Environment.ProcessId);
        json.WriteStartObject("capabilities");
        json.WriteStartObject("window");
        json.WriteBoolean("workDoneProgress", true);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("initializationOptions");
        json.WriteString("dataDir", DataDir);
        json.WriteString("workspaceId", WorkspaceId);
        if (ServerUrl is not null)
        {
            json.WriteString("serverUrl", ServerUrl);
        }

        json.WriteStartObject("settings");
        if (Synchronous is not null)
        {
            json.WriteString("synchronous", Synchronous);
        }

        if (WorkOffline is { } offline)
        {
            json.WriteBoolean("workOffline", offline);
        }

        if (BatchSize is { } batch)
        {
            json.WriteNumber("batchSize", batch);
        }

        if (SyncIntervalSeconds is { } interval)
        {
            json.WriteNumber("syncIntervalSeconds", interval);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
