namespace OfflineSync.Server.Wire;

/// <summary>One attachment a command names: its content is the workspace's blob with this SHA-256.</summary>
internal sealed record CommandAttachment
{
    public string? Sha256 { get; init; }
    public string? Name { get; init; }
    public string? MediaType { get; init; }
    public long? Size { get; init; }
}
