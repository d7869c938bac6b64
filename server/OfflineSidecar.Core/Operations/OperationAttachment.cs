namespace OfflineSidecar.Core.Operations;

/// <summary>A file an operation carries: its content is the blob named by <see cref="Sha256"/> (lowercase hex).</summary>
public sealed record OperationAttachment(string Sha256, string Name, string? MediaType, long Size);
