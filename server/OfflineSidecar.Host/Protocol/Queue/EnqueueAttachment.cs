namespace OfflineSidecar.Host.Protocol.Queue;

/// <summary>The protocol's <c>EnqueueAttachment</c>: a file the sidecar copies before it answers the enqueue.</summary>
public sealed record EnqueueAttachment
{
    /// <summary>A path the sidecar can read; it may be deleted once the enqueue answered.</summary>
    public required string Path { get; init; }

    /// <summary>Defaults to the file name of <see cref="Path"/>.</summary>
    public string? Name { get; init; }

    public string? MediaType { get; init; }
}
