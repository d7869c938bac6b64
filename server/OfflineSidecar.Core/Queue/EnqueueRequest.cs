using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Queue;

/// <summary>What a caller asks to queue. PayloadJson must be valid JSON text.</summary>
public sealed record EnqueueRequest
{
    public required string Type { get; init; }
    public required string PayloadJson { get; init; }
    public string? EntityId { get; init; }
    public string? DedupKey { get; init; }
    public string? IdempotencyKey { get; init; }
    public long? ExpectedVersion { get; init; }
    public OperationPriority Priority { get; init; } = OperationPriority.Normal;
    /// <summary>An absolute expiry; at most one of this and <see cref="TimeToLive"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>An expiry relative to the enqueue, stored as an absolute time read from the store's clock.</summary>
    public TimeSpan? TimeToLive { get; init; }
    public string? ClientTraceId { get; init; }
    public IReadOnlyList<AttachmentSource>? Attachments { get; init; }
}
