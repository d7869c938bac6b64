namespace OfflineSync.Server.Wire;

internal sealed record SyncCommand
{
    public string? CommandId { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? Type { get; init; }
    public string? EntityId { get; init; }
    public long? ExpectedVersion { get; init; }
    public RawJson? Payload { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>The client's id for support: logged with the command's result, never interpreted.</summary>
    public string? ClientTraceId { get; init; }

    /// <summary>Blobs the command carries, uploaded before it with PUT /sync/blobs/{sha256}.</summary>
    public IReadOnlyList<CommandAttachment?>? Attachments { get; init; }
}
