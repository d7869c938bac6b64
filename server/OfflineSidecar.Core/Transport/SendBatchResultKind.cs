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
}
