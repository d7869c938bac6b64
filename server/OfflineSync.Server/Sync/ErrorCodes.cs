namespace OfflineSync.Server.Sync;

/// <summary>Codes of whole-request failures (the <c>code</c> of an error body).</summary>
internal static class ErrorCodes
{
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string InvalidRequest = "invalid_request";
    public const string InvalidCursor = "invalid_cursor";
    public const string CursorExpired = "cursor_expired";
    public const string BatchTooLarge = "batch_too_large";
    public const string BodyTooLarge = "body_too_large";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
    public const string StorageUnavailable = "storage_unavailable";
    public const string NotFound = "not_found";
    public const string HashMismatch = "hash_mismatch";
}
