namespace OfflineSidecar.Host.Protocol.Sync;

public sealed record SetCredentialsParams
{
    /// <summary>Null forgets the token. Kept in memory only.</summary>
    public required string? Token { get; init; }
}
