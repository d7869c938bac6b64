namespace OfflineSidecar.Core.Sync;

public enum Connectivity
{
    Online,
    Offline,
    Unreachable,
    WorkingOffline,
    AuthRequired,
    /// <summary>The server refuses the whole request (403) for valid credentials: nothing is sent until an access probe succeeds.</summary>
    AccessRevoked,
}
