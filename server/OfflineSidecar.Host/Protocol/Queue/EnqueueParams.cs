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

    /// <summary>Files copied into the store before the answer (1010 unreadable, 1011 over attachmentMaxSizeMB).</summary>
    public IReadOnlyList<EnqueueAttachment>? Attachments { get; init; }
}
