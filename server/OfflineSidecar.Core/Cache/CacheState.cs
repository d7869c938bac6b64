namespace OfflineSidecar.Core.Cache;

/// <summary>
/// What the editor shows for a document: synced with the server, or the state of the user's unfinished work on it.
/// Never stored: computed from the queue on every read.
/// </summary>
public enum CacheState
{
    Synced,
    Pending,
    Syncing,
    Failed,
    Conflict,

    /// <summary>Created here and not on the server yet (no server version).</summary>
    LocalOnly,
}
