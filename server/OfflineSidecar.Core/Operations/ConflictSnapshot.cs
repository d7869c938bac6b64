namespace OfflineSidecar.Core.Operations;

/// <summary>The server's state of the entity at the time a conflict was detected.</summary>
public sealed record ConflictSnapshot(long ServerVersion, string? ServerPayloadJson, DateTimeOffset DetectedAt);
