namespace OfflineSidecar.Core.Sync;

public enum ConflictResolution
{
    KeepLocal,
    TakeServer,
    Merge,
}
