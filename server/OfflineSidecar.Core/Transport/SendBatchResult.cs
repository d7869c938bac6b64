namespace OfflineSidecar.Core.Transport;

/// <summary>
/// The outcome of one batch request. <see cref="Results"/> is filled only for <see cref="SendBatchResultKind.Ok"/>;
/// <see cref="RetryAfter"/> only when the server asked for it.
/// </summary>
public sealed record SendBatchResult
{
    private SendBatchResult(SendBatchResultKind kind) => Kind = kind;

    public SendBatchResultKind Kind { get; }
    public IReadOnlyList<CommandResult> Results { get; private init; } = [];
    public int? StatusCode { get; private init; }
    public TimeSpan? RetryAfter { get; private init; }
    public string? Message { get; private init; }
    /// <summary>True when the request may never have reached the server within the time allowed.</summary>
    public bool TimedOut { get; private init; }

    /// <summary>
    /// True when the answer says the server is not serving at all (any 5xx, or no answer): the engine then treats
    /// it as unreachable and lets health probes decide when it is back. A 429 is not: that server is answering.
    /// </summary>
    public bool ServerDown => Kind == SendBatchResultKind.NetworkError || (Kind == SendBatchResultKind.ServerError && StatusCode >= 500);

    public static SendBatchResult Ok(IReadOnlyList<CommandResult> results) => new(SendBatchResultKind.Ok) { Results = results, StatusCode = 200 };

    public static SendBatchResult AuthFailed(int statusCode, string? message) => new(SendBatchResultKind.AuthFailed) { StatusCode = statusCode, Message = message };

    public static SendBatchResult Forbidden(string? message) => new(SendBatchResultKind.Forbidden) { StatusCode = 403, Message = message };

    public static SendBatchResult TooLarge(string? message) => new(SendBatchResultKind.TooLarge) { StatusCode = 413, Message = message };

    public static SendBatchResult Throttled(int statusCode, TimeSpan? retryAfter, string? message) =>
        new(SendBatchResultKind.Throttled) { StatusCode = statusCode, RetryAfter = retryAfter, Message = message };

    public static SendBatchResult ServerError(int statusCode, string? message, TimeSpan? retryAfter = null) =>
        new(SendBatchResultKind.ServerError) { StatusCode = statusCode, Message = message, RetryAfter = retryAfter };

    public static SendBatchResult NetworkError(string message, bool timedOut = false) => new(SendBatchResultKind.NetworkError) { Message = message, TimedOut = timedOut };

    public static SendBatchResult BadRequest(string? message) => new(SendBatchResultKind.BadRequest) { StatusCode = 400, Message = message };
}
