namespace OfflineSidecar.Core.Cache;

/// <summary>Where the pull of a workspace stands, as committed with its last page.</summary>
/// <param name="Cursor">The feed cursor after the last committed page; null = from the beginning.</param>
/// <param name="Generation">Bumped by a full refetch; rows it did not see again are gone from the server.</param>
/// <param name="Refetching">A full refetch is under way (the server no longer accepted the cursor).</param>
/// <param name="LastPulledAt">When a pull last read the feed to its end; survives restarts.</param>
/// <param name="Server">The sync server the cache is pulled from (another one means a full refetch).</param>
public sealed record PullState(string? Cursor, long Generation, bool Refetching, DateTimeOffset? LastPulledAt, string? Server = null)
{
    public static readonly PullState Initial = new(null, 1, false, null);
}
