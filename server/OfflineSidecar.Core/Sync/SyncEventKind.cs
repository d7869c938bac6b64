namespace OfflineSidecar.Core.Sync;

public enum SyncEventKind
{
    FlushStarted,
    FlushCompleted,
    OperationFailed,
    ConflictDetected,
    AuthRequired,
    AccessRevoked,
}
