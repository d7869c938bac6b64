namespace OfflineSync.Server.Wire;

/// <summary>Body of POST /admin/compact; nullable so that a missing workspace is a precise 400.</summary>
internal sealed record CompactRequest
{
    public string? WorkspaceId { get; init; }
}
