namespace OfflineSidecar.Core.Transport;

/// <summary>How a whole batch request ended; only <see cref="Ok"/> carries per-command results.</summary>
public enum SendBatchResultKind
{
    Ok,
    AuthFailed,
    TooLarge,
    Throttled,
    ServerError,
    NetworkError,
    BadRequest,
    /// <summary>403 for the whole request: the credentials are valid but no longer allowed (access revoked).</summary>
    Forbidden,
}
