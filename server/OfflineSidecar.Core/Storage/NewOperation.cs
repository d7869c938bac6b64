using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage.Attachments;

namespace OfflineSidecar.Core.Storage;

/// <summary>A validated operation about to be inserted (from enqueue or import).</summary>
internal sealed record NewOperation(
    string Id,
    string Type,
    string? EntityId,
    string PayloadJson,
    int PayloadBytes,
    string IdempotencyKey,
    string? DedupKey,
    long? ExpectedVersion,
    OperationPriority Priority,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null,
    string? ClientTraceId = null,
    IReadOnlyList<StagedAttachment>? Attachments = null);
