using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Storage;

namespace OfflineSidecar.Host.Protocol.Sync;

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
    StorageStatusDto? Storage);
