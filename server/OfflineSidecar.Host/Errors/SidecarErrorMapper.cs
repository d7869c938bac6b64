using OfflineSidecar.Core.Queue;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Errors;

/// <summary>Turns the core's refusals into protocol errors; the core's messages already name the field.</summary>
internal static class SidecarErrorMapper
{
    public static JsonRpcError? Map(Exception exception) => exception switch
    {
        QueueException queue => new JsonRpcError(CodeOf(queue.Kind), queue.Message),
        _ => null,
    };

    public static int CodeOf(QueueErrorKind kind) => kind switch
    {
        QueueErrorKind.NotFound => SidecarErrorCodes.NotFound,
        QueueErrorKind.InvalidState => SidecarErrorCodes.InvalidState,
        QueueErrorKind.StorageFull => SidecarErrorCodes.StorageFull,
        QueueErrorKind.PayloadTooLarge => SidecarErrorCodes.PayloadTooLarge,
        QueueErrorKind.InvalidArgument => JsonRpcErrorCodes.InvalidParams,
        QueueErrorKind.NotAvailableOffline => SidecarErrorCodes.NotAvailableOffline,
        QueueErrorKind.ServerAnswerRefused => SidecarErrorCodes.ServerAnswerRefused,
        QueueErrorKind.LowDiskSpace => SidecarErrorCodes.LowDiskSpace,
        QueueErrorKind.AttachmentUnreadable => SidecarErrorCodes.AttachmentUnreadable,
        QueueErrorKind.AttachmentTooLarge => SidecarErrorCodes.AttachmentTooLarge,
        _ => SidecarErrorCodes.StorageFailure,
    };
}
