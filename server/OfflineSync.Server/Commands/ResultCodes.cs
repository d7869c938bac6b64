namespace OfflineSync.Server.Commands;

/// <summary>Machine-readable codes in per-command results.</summary>
internal static class ResultCodes
{
    public const string UnknownType = "unknown_type";
    public const string ValidationFailed = "validation_failed";
    public const string EntityRequired = "entity_required";
    public const string VersionMismatch = "version_mismatch";
    public const string InjectedRetry = "injected_retry";
    public const string AttachmentMissing = "attachment_missing";
}
