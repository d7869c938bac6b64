namespace OfflineSync.Server.Wire;

/// <summary>Body of POST /sync/commands. Every member is nullable so that a missing field is answered
/// with a precise 400 or per-command rejection instead of a generic deserialization error.</summary>
internal sealed record CommandBatchRequest
{
    public string? WorkspaceId { get; init; }
    public string? ClientId { get; init; }
    public IReadOnlyList<SyncCommand?>? Commands { get; init; }
}
