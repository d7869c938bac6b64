namespace OfflineSidecar.Host.Errors;

/// <summary>The sidecar's own error codes (docs/protocol.md, "Error codes").</summary>
public static class SidecarErrorCodes
{
    public const int NotFound = 1001;
    public const int InvalidState = 1002;
    public const int StorageFull = 1003;
    public const int PayloadTooLarge = 1004;
    public const int StorageFailure = 1005;
    public const int InvalidServerUrl = 1006;
    public const int NotAvailableOffline = 1007;
    public const int ServerAnswerRefused = 1008;
    public const int LowDiskSpace = 1009;
    public const int AttachmentUnreadable = 1010;
    public const int AttachmentTooLarge = 1011;
}
