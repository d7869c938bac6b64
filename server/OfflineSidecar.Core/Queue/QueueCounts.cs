namespace OfflineSidecar.Core.Queue;

/// <summary>Maintained per workspace in the store, never computed by scanning.</summary>
public sealed record QueueCounts(long Pending, long Syncing, long Failed, long Conflict, long Succeeded)
{
    public static readonly QueueCounts Empty = new(0, 0, 0, 0, 0);

    /// <summary>Work that still has to reach the server or needs the user.</summary>
    public long Outstanding => Pending + Syncing + Failed + Conflict;
}
