using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Lifecycle;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Sync;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Protocol;

/// <summary>The sidecar's own messages (docs/protocol.md, "Queue", "Sync", "Notifications").</summary>
public static class OfflineSyncMethods
{
    // Resolved lazily (see RequestType): only what a message needs is built, when it is first used.
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public static readonly RequestType<EnqueueParams, EnqueueResultDto> Enqueue =
        new("offlineSync/enqueue", MessageDirection.ClientToServer, () => Json.EnqueueParams, () => Json.EnqueueResultDto);

    public static readonly RequestType<EmptyParams, SyncStatus> GetStatus =
        new("offlineSync/getStatus", MessageDirection.ClientToServer, () => Json.EmptyParams, () => Json.SyncStatus);

    public static readonly RequestType<ListOperationsParams, ListOperationsResult> ListOperations =
        new("offlineSync/listOperations", MessageDirection.ClientToServer, () => Json.ListOperationsParams, () => Json.ListOperationsResult);

    public static readonly RequestType<OperationIdParams, OperationDetailsDto> GetOperation =
        new("offlineSync/getOperation", MessageDirection.ClientToServer, () => Json.OperationIdParams, () => Json.OperationDetailsDto);

    public static readonly RequestType<RetryParams, CountResult> Retry =
        new("offlineSync/retry", MessageDirection.ClientToServer, () => Json.RetryParams, () => Json.CountResult);

    public static readonly RequestType<DiscardParams, CountResult> Discard =
        new("offlineSync/discard", MessageDirection.ClientToServer, () => Json.DiscardParams, () => Json.CountResult);

    public static readonly RequestType<UpdateOperationParams, OperationDto> UpdateOperation =
        new("offlineSync/updateOperation", MessageDirection.ClientToServer, () => Json.UpdateOperationParams, () => Json.OperationDto);

    public static readonly RequestType<OperationIdParams, OperationDto> Prioritize =
        new("offlineSync/prioritize", MessageDirection.ClientToServer, () => Json.OperationIdParams, () => Json.OperationDto);

    public static readonly RequestType<ClearQueueParams, CountResult> ClearQueue =
        new("offlineSync/clearQueue", MessageDirection.ClientToServer, () => Json.ClearQueueParams, () => Json.CountResult);

    public static readonly RequestType<PathParams, CountResult> Export =
        new("offlineSync/export", MessageDirection.ClientToServer, () => Json.PathParams, () => Json.CountResult);

    public static readonly RequestType<PathParams, ImportResultDto> Import =
        new("offlineSync/import", MessageDirection.ClientToServer, () => Json.PathParams, () => Json.ImportResultDto);

    public static readonly RequestType<EmptyParams, SyncNowResult> SyncNow =
        new("offlineSync/syncNow", MessageDirection.ClientToServer, () => Json.EmptyParams, () => Json.SyncNowResult);

    public static readonly RequestType<SetWorkOfflineParams, SyncStatus> SetWorkOffline =
        new("offlineSync/setWorkOffline", MessageDirection.ClientToServer, () => Json.SetWorkOfflineParams, () => Json.SyncStatus);

    public static readonly RequestType<SetCredentialsParams, EmptyResult> SetCredentials =
        new("offlineSync/setCredentials", MessageDirection.ClientToServer, () => Json.SetCredentialsParams, () => Json.EmptyResult);

    public static readonly RequestType<SignOutParams, SignOutResult> SignOut =
        new("offlineSync/signOut", MessageDirection.ClientToServer, () => Json.SignOutParams, () => Json.SignOutResult);

    public static readonly RequestType<ResolveConflictParams, ResolveConflictResult> ResolveConflict =
        new("offlineSync/resolveConflict", MessageDirection.ClientToServer, () => Json.ResolveConflictParams, () => Json.ResolveConflictResult);

    public static readonly RequestType<ResolveAllParams, ResolveAllResult> ResolveAll =
        new("offlineSync/resolveAll", MessageDirection.ClientToServer, () => Json.ResolveAllParams, () => Json.ResolveAllResult);

    public static readonly RequestType<EmptyParams, PullResultDto> Pull =
        new("offlineSync/pull", MessageDirection.ClientToServer, () => Json.EmptyParams, () => Json.PullResultDto);

    public static readonly RequestType<CacheEntityParams, CacheEntryDto> CacheGet =
        new("offlineSync/cache/get", MessageDirection.ClientToServer, () => Json.CacheEntityParams, () => Json.CacheEntryDto);

    public static readonly RequestType<CacheEntityParams, CacheStatResult> CacheStat =
        new("offlineSync/cache/stat", MessageDirection.ClientToServer, () => Json.CacheEntityParams, () => Json.CacheStatResult);

    public static readonly RequestType<CacheListParams, CacheListResult> CacheList =
        new("offlineSync/cache/list", MessageDirection.ClientToServer, () => Json.CacheListParams, () => Json.CacheListResult);

    public static readonly RequestType<CachePinParams, CountResult> CachePin =
        new("offlineSync/cache/pin", MessageDirection.ClientToServer, () => Json.CachePinParams, () => Json.CountResult);

    public static readonly RequestType<CacheOpenedParams, EmptyResult> CacheOpened =
        new("offlineSync/cache/opened", MessageDirection.ClientToServer, () => Json.CacheOpenedParams, () => Json.EmptyResult);

    public static readonly RequestType<CacheUnsyncedParams, CacheUnsyncedResult> CacheUnsynced =
        new("offlineSync/cache/unsynced", MessageDirection.ClientToServer, () => Json.CacheUnsyncedParams, () => Json.CacheUnsyncedResult);

    public static readonly NotificationType<SyncStatus> StatusChanged =
        new("offlineSync/statusChanged", MessageDirection.ServerToClient, () => Json.SyncStatus);

    public static readonly NotificationType<QueueChangedParams> QueueChanged =
        new("offlineSync/queueChanged", MessageDirection.ServerToClient, () => Json.QueueChangedParams);

    public static readonly NotificationType<SyncEventParams> SyncEvent =
        new("offlineSync/syncEvent", MessageDirection.ServerToClient, () => Json.SyncEventParams);

    public static readonly NotificationType<CacheChangedParams> CacheChanged =
        new("offlineSync/cacheChanged", MessageDirection.ServerToClient, () => Json.CacheChangedParams);
}
