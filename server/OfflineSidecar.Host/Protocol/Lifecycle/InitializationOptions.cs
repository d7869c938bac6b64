using OfflineSidecar.Host.Protocol.Workspace;

namespace OfflineSidecar.Host.Protocol.Lifecycle;

/// <summary>dataDir and workspaceId are required unless given on the command line, which wins.</summary>
public sealed record InitializationOptions
{
    public string? DataDir { get; init; }

    public string? WorkspaceId { get; init; }

    public string? ServerUrl { get; init; }

    /// <summary>As offlineSync/setCredentials gives it, so the worker's first request is already signed.</summary>
    public string? Token { get; init; }

    public PartialSettings? Settings { get; init; }
}
