namespace OfflineSidecar.Core.Queue;

/// <summary>A file to attach at enqueue: copied into the store before the enqueue is acknowledged.</summary>
/// <param name="Name">What the file is called on the server (defaults to the file name of <paramref name="Path"/>).</param>
public sealed record AttachmentSource(string Path, string? Name = null, string? MediaType = null);
