using System.Text.Json.Serialization;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Host.Protocol.Serialization;

namespace OfflineSidecar.Host.Protocol.Queue;

/// <summary>The protocol's <c>Operation</c>. <see cref="Payload"/> is omitted in list results.</summary>
public sealed record OperationDto
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Type { get; init; }
    public required string? EntityId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RawJson? Payload { get; init; }

    public required int PayloadBytes { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string? DedupKey { get; init; }
    public required long? ExpectedVersion { get; init; }
    public required OperationPriority Priority { get; init; }
    public required OperationStatus Status { get; init; }
    public required int Attempts { get; init; }
    public required DateTimeOffset? NextAttemptAt { get; init; }
    public required OperationErrorDto? LastError { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><see cref="CreatedAt"/> on the server's clock as estimated at enqueue; null when it never was. Shown only.</summary>
    public required DateTimeOffset? ServerCreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required DateTimeOffset? ExpiresAt { get; init; }
    public required string? ClientTraceId { get; init; }
    public required IReadOnlyList<AttachmentDto> Attachments { get; init; }
}
