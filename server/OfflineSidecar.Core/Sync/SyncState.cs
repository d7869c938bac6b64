using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// The engine's coarse state; the host adds the store's counts to make the protocol's SyncStatus.
/// <paramref name="ServerClock"/> is the latest estimate of the server's clock (stored: known offline after a restart);
/// <paramref name="LastSyncedTimestamp"/> is <paramref name="LastSyncedAt"/> on the monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>), so "synced … ago" is a duration no change of the wall clock moves.
/// </summary>
public sealed record SyncState(
    Connectivity Connectivity,
    bool Syncing,
    DateTimeOffset? LastSyncedAt,
    OperationError? LastError,
    string? ServerUrl,
    bool WorkOffline,
    bool IsLeader,
    ServerClockEstimate? ServerClock = null,
    long? LastSyncedTimestamp = null);
