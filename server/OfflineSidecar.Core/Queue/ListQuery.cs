using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Queue;

/// <summary>A page request in delivery order. Cursor is opaque (from a previous page's NextCursor).</summary>
public sealed record ListQuery(IReadOnlyList<OperationStatus>? Statuses = null, string? EntityId = null, string? Cursor = null, int Limit = 100);
