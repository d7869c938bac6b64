namespace OfflineSidecar.Host.Protocol.Queue;

/// <summary>The protocol's <c>Attachment</c>: a file an operation carries, named by the SHA-256 of its content.</summary>
public sealed record AttachmentDto(string Sha256, string Name, string? MediaType, long Size);
