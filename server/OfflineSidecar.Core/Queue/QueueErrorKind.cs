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

    /// <summary>An attachment's file is missing or cannot be read.</summary>
    AttachmentUnreadable,

    /// <summary>An attachment's file is larger than the configured limit.</summary>
    AttachmentTooLarge,

    /// <summary>The data directory's file system is under the critical threshold: new work is refused before SQLite runs out.</summary>
    LowDiskSpace,
}
