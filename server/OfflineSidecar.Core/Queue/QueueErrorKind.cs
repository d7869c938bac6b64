namespace OfflineSidecar.Core.Queue;

public enum QueueErrorKind
{
    NotFound,
    InvalidState,
    InvalidArgument,
    PayloadTooLarge,
    StorageFull,
    StorageFailure,

    /// <summary>The document's content is not held locally (evicted) and the server cannot be asked now.</summary>
    NotAvailableOffline,

    /// <summary>The sync server's answer to a pull could not be used (nothing of it was written).</summary>
    ServerAnswerRefused,

    /// <summary>The data directory's file system is under the critical threshold: new work is refused before SQLite runs out.</summary>
    LowDiskSpace,
}
