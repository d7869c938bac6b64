using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Protocol;

/// <summary>Every declared message in docs/protocol.md order; what <c>offline-sidecar protocol --json</c> prints.</summary>
public static class ProtocolCatalog
{
    public static IReadOnlyList<MessageType> All { get; } =
    [
        LspMethods.Initialize,
        LspMethods.Initialized,
        LspMethods.Shutdown,
        LspMethods.Exit,
        LspMethods.CancelRequest,
        LspMethods.DidChangeConfiguration,
        LspMethods.LogMessage,
        LspMethods.ShowMessage,
        LspMethods.WorkDoneProgressCreate,
        LspMethods.Progress,
        LspMethods.WorkDoneProgressCancel,
        OfflineSyncMethods.Enqueue,
        OfflineSyncMethods.GetStatus,
        OfflineSyncMethods.ListOperations,
        OfflineSyncMethods.GetOperation,
        OfflineSyncMethods.Retry,
        OfflineSyncMethods.Discard,
        OfflineSyncMethods.UpdateOperation,
        OfflineSyncMethods.Prioritize,
        OfflineSyncMethods.ClearQueue,
        OfflineSyncMethods.Export,
        OfflineSyncMethods.Import,
        OfflineSyncMethods.SyncNow,
        OfflineSyncMethods.SetWorkOffline,
        OfflineSyncMethods.SetCredentials,
        OfflineSyncMethods.SignOut,
        OfflineSyncMethods.ResolveConflict,
        OfflineSyncMethods.ResolveAll,
        OfflineSyncMethods.Pull,
        OfflineSyncMethods.CacheGet,
        OfflineSyncMethods.CacheStat,
        OfflineSyncMethods.CacheList,
        OfflineSyncMethods.CachePin,
        OfflineSyncMethods.CacheOpened,
        OfflineSyncMethods.CacheUnsynced,
        OfflineSyncMethods.StatusChanged,
        OfflineSyncMethods.QueueChanged,
        OfflineSyncMethods.CacheChanged,
        OfflineSyncMethods.SyncEvent,
    ];

    public static IReadOnlyList<MessageDescription> Describe() => All.Select(MessageDescription.Of).ToArray();
}
