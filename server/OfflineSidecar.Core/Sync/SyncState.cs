using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Sync;

/// <summary>The engine's coarse state; the host adds the store's counts to make the protocol's SyncStatus.</summary>
public sealed record SyncState(
    Connectivity Connectivity,
    bool Syncing,
    DateTimeOffset? LastSyncedAt,
    OperationError? LastError,
    string? ServerUrl,
    bool WorkOffline,
    bool IsLeader);
