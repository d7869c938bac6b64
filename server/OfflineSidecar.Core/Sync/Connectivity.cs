namespace OfflineSidecar.Core.Sync;

public enum Connectivity
{
    Online,
    Offline,
    Unreachable,
    WorkingOffline,
    AuthRequired,
}
