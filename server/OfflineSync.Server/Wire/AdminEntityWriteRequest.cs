namespace OfflineSync.Server.Wire;

internal sealed record AdminEntityWriteRequest
{
    public string? WorkspaceId { get; init; }
    public string? EntityId { get; init; }
    public RawJson? Payload { get; init; }
    public bool Deleted { get; init; }
}
