namespace OfflineSidecar.Core.Sync.Conflicts;

public enum ConflictResolution
{
    KeepLocal,
    TakeServer,
    Merge,
}
