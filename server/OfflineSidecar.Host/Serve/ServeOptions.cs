using OfflineSidecar.JsonRpc.Framing;

namespace OfflineSidecar.Host.Serve;

/// <summary>Command-line settings of <c>serve</c>; <see cref="DataDir"/> and <see cref="WorkspaceId"/> win over
/// initializationOptions when given.</summary>
internal sealed record ServeOptions
{
    public string? DataDir { get; init; }

    public string? WorkspaceId { get; init; }

    public TimeSpan ParentPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxFrameBytes { get; init; } = FrameReaderOptions.DefaultMaxFrameBytes;

    /// <summary>How long in-flight requests get to finish and answer when the sidecar stops.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
