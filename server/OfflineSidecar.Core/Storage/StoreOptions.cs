namespace OfflineSidecar.Core.Storage;

public sealed record StoreOptions
{
    public const int DefaultMaxPayloadBytes = 1024 * 1024;

    public required string DatabasePath { get; init; }

    public SynchronousMode Synchronous { get; init; } = SynchronousMode.Full;

    public int MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;

    /// <summary>How long a statement waits for another process (CLI, another sidecar) holding the write lock.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
