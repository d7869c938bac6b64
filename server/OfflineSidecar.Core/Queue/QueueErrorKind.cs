namespace OfflineSidecar.Core.Queue;

public enum QueueErrorKind
{
    NotFound,
    InvalidState,
    InvalidArgument,
    PayloadTooLarge,
    StorageFull,
    StorageFailure,
}
