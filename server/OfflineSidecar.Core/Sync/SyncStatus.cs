using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// What the engine itself knows of how sync goes (whether a flush runs, when the server last answered, the last
/// error); <see cref="SyncNotifier"/> shows it with the connectivity, lease and options as the <see cref="SyncState"/>.
/// Written by the loop and the flush it runs; read by whoever builds the state.
/// </summary>
internal sealed class SyncStatus(TimeProvider time)
{
    public bool Syncing { get; set; }

    public DateTimeOffset? LastSyncedAt { get; private set; }

    /// <summary><see cref="LastSyncedAt"/> on the monotonic clock, so "synced … ago" survives a change of the wall clock.</summary>
    public long? LastSyncedTimestamp { get; private set; }

    public OperationError? LastError { get; set; }

    /// <summary>The server answered usefully at <paramref name="at"/>: whatever error its silence left is over.</summary>
    public void ServerAnswered(DateTimeOffset at)
    {
        LastSyncedAt = at;
        LastSyncedTimestamp = time.GetTimestamp();
        LastError = null;
    }
}
