using OfflineSidecar.Core.Operations;
using OfflineSidecar.Host.Protocol.Serialization;

namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record EnqueueParams
{
    /// <summary>A versioned name such as <c>document.put.v1</c>.</summary>
    public required string Type { get; init; }

    public required RawJson Payload { get; init; }

    public string? EntityId { get; init; }

    public string? DedupKey { get; init; }

    public string? IdempotencyKey { get; init; }

    public long? ExpectedVersion { get; init; }

    public OperationPriority? Priority { get; init; }

    /// <summary>Not delivered by then, the operation fails with code <c>expired</c>. At most one of this and <see cref="TtlSeconds"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The same, relative to the enqueue: stored as an absolute time.</summary>
    public double? TtlSeconds { get; init; }

    /// <summary>The caller's id for support: sent to the server with the command and in every log line about the operation.</summary>
    public string? ClientTraceId { get; init; }

    /// <summary>Ten years: longer is surely a unit mistake, and would overflow nothing but still mean "never".</summary>
    public const double MaxTtlSeconds = 10 * 365.25 * 24 * 3600;

    /// <summary>Files copied into the store before the answer (1010 unreadable, 1011 over attachmentMaxSizeMB).</summary>
    public IReadOnlyList<EnqueueAttachment>? Attachments { get; init; }
}
