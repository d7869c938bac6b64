using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Storage;

namespace OfflineSidecar.Host.Protocol.Sync;

/// <param name="ClockSkewMs">How far this machine's clock is ahead of the server's (negative: behind), as last
/// estimated from the server's answers; null until ever estimated. Stored, so known offline after a restart.</param>
/// <param name="LastSyncedAgoMs">How long before this status was made <paramref name="LastSyncedAt"/> was, measured on
/// the monotonic clock (a wall clock set forward or back does not move it); null when this sidecar has not synced since it started.</param>
public sealed record SyncStatus(
    Connectivity Connectivity,
    bool Syncing,
    QueueCountsDto Counts,
    DateTimeOffset? LastSyncedAt,
    OperationErrorDto? LastError,
    string? ServerUrl,
    bool WorkOffline,
    bool IsLeader,
    DateTimeOffset? LastPulledAt,
    CacheStatusDto Cache,
    string? Account,
    long? ClockSkewMs,
    long? LastSyncedAgoMs,
    StorageStatusDto? Storage);
