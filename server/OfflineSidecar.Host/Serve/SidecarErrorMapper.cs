using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Errors;
using OfflineSidecar.Host.Settings;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Serve;

/// <summary>
/// The one place where the sidecar's domain refusals (the core's queue errors, refused settings) become JSON-RPC
/// errors; their messages already name the field. Code outside Serve/ never sees a JSON-RPC type.
/// </summary>
internal static class SidecarErrorMapper
{
    public static JsonRpcError? Map(Exception exception) => exception switch
    {
        QueueException queue => new JsonRpcError(CodeOf(queue.Kind), queue.Message),
        SettingsException settings => new JsonRpcError(CodeOf(settings.Kind), settings.Message),
        _ => null,
    };

    public static int CodeOf(SettingsErrorKind kind) => kind switch
    {
        SettingsErrorKind.InvalidServerUrl => SidecarErrorCodes.InvalidServerUrl,
        _ => JsonRpcErrorCodes.InvalidParams,
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
