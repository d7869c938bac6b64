namespace OfflineSync.Server.Wire;

/// <summary>The answer for one command; which optional members are present depends on <see cref="Status"/>.</summary>
internal sealed record CommandResult
{
    public required string CommandId { get; init; }
    public required string Status { get; init; }
    public long? Version { get; init; }
    public EntityState? Server { get; init; }
    public string? Code { get; init; }
    public string? Message { get; init; }
}
