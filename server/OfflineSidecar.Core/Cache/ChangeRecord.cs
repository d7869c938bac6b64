namespace OfflineSidecar.Core.Cache;

/// <summary>One row of the server's changes feed. <see cref="PayloadJson"/> is raw JSON text; null for deletes.</summary>
public sealed record ChangeRecord(string EntityId, string Type, long Version, string? PayloadJson, bool Deleted);
