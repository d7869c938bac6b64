using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Queue;

/// <summary>Items carry no payload. Total counts every row matching the filter, not just this page.</summary>
public sealed record OperationPage(IReadOnlyList<Operation> Items, string? NextCursor, long Total);
