namespace OfflineSidecar.Core.Sync.Conflicts;

/// <param name="Remaining">Conflicts left afterwards.</param>
public sealed record BulkResolveResult(int Resolved, long Remaining);
