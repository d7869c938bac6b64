namespace OfflineSidecar.Core.Sync;

/// <summary>Levels of the engine's log callback; the host maps them to stderr and window/logMessage types.</summary>
public enum SyncLogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
