namespace OfflineSidecar.Core.Queue;

/// <summary>A refusal the caller can act on; the host maps <see cref="Kind"/> to a JSON-RPC error code.</summary>
public sealed class QueueException : Exception
{
    public QueueException(QueueErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public QueueException() : this(QueueErrorKind.StorageFailure, "queue error") { }

    public QueueException(string message) : this(QueueErrorKind.StorageFailure, message) { }

    public QueueException(string message, Exception inner) : this(QueueErrorKind.StorageFailure, message, inner) { }

    public QueueErrorKind Kind { get; }
}
