namespace OfflineSidecar.Core.Transport;

/// <summary>The outcome of one read from the sync server. Never an exception for server or network trouble.</summary>
public sealed record ServerRead<T>(ServerReadKind Kind, T? Value, SendBatchResult? Failure, string? Message)
    where T : class
{
    public static ServerRead<T> Ok(T value) => new(ServerReadKind.Ok, value, null, null);

    public static ServerRead<T> NotFound(string? message) => new(ServerReadKind.NotFound, null, null, message);

    public static ServerRead<T> CursorExpired(string? message) => new(ServerReadKind.CursorExpired, null, null, message);

    public static ServerRead<T> Malformed(string message) => new(ServerReadKind.Malformed, null, null, message);

    public static ServerRead<T> Failed(SendBatchResult failure) => new(ServerReadKind.Failed, null, failure, failure.Message);
}
