namespace OfflineSidecar.Core.Sync;

/// <summary>Codes of the errors the engine records itself; server rejections carry the server's own code.</summary>
public static class SyncErrorCodes
{
    public const string Network = "network";
    public const string Timeout = "timeout";
    public const string ServerError = "serverError";
    public const string Throttled = "throttled";
    public const string Retry = "retry";
    public const string Unauthorized = "unauthorized";
    public const string PayloadTooLarge = "payloadTooLarge";
    public const string BadRequest = "badRequest";
    public const string Rejected = "rejected";
    public const string MissingResult = "missingResult";
    public const string MaxAttemptsReached = "maxAttempts";
    public const string ServerAnswerRefused = "serverAnswerRefused";
    public const string Forbidden = "forbidden";
    /// <summary>An operation not delivered by its expiresAt: failed instead of sent.</summary>
    public const string Expired = "expired";
}
