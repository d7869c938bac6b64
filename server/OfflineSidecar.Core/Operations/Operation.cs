namespace OfflineSidecar.Core.Operations;

/// <summary>
/// One queued mutation with its own retry state. <see cref="PayloadJson"/> is the raw JSON text
/// (validated at enqueue); it is null in list results, which never carry payloads.
/// <see cref="Sequence"/> is the store's enqueue order, the tie-breaker of delivery order.
/// </summary>
public sealed record Operation
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Type { get; init; }
    public string? EntityId { get; init; }
    public string? PayloadJson { get; init; }
    public int PayloadBytes { get; init; }
    public required string IdempotencyKey { get; init; }
    public string? DedupKey { get; init; }
    public long? ExpectedVersion { get; init; }
    public OperationPriority Priority { get; init; } = OperationPriority.Normal;
    public OperationStatus Status { get; init; } = OperationStatus.Pending;
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public OperationError? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// <see cref="CreatedAt"/> on the server's clock, as estimated when the operation was queued (null: never
    /// estimated). Shown only: delivery order is <see cref="Sequence"/>, never a clock.
    /// </summary>
    public DateTimeOffset? ServerCreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Sequence { get; init; }
    /// <summary>Not delivered by then, the operation fails with code <c>expired</c> instead of being sent.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The caller's id for support: sent to the server with the command and written in every log line about it.</summary>
    public string? ClientTraceId { get; init; }

    /// <summary>Files sent with the operation, in the order given at enqueue.</summary>
    public IReadOnlyList<OperationAttachment> Attachments { get; init; } = [];
}
