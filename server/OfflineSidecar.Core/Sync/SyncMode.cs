namespace OfflineSidecar.Core.Sync;

public enum SyncMode
{
    /// <summary>Flush as soon as work is enqueued and the server is reachable.</summary>
    Eager,
    /// <summary>Flush every SyncInterval while there is work.</summary>
    Periodic,
    /// <summary>Flush only on syncNow.</summary>
    Manual,
}
