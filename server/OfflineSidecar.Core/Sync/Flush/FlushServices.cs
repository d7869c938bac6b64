using OfflineSidecar.Core.Sync.Conflicts;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>The engine's long-lived parts a <see cref="FlushRun"/> uses; one set per engine, shared by its runs.</summary>
internal sealed record FlushServices(
    ISyncStore Store,
    TimeProvider Time,
    TimeProvider Steady,
    SyncSettings Settings,
    SyncCredentials Credentials,
    StoreChangeWatcher Watcher,
    AttachmentUploader Uploader,
    ConflictMerger Merger,
    SyncStatus Status,
    SyncNotifier Notifier,
    SyncLog Log)
{
    public int BatchSize => Math.Max(1, Settings.Options.BatchSize);

    /// <summary>The workspace as the server knows it.</summary>
    public string ServerWorkspace => Settings.Options.ServerWorkspaceId ?? Store.WorkspaceId;
}
