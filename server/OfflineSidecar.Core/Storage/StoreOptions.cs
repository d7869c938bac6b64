using OfflineSidecar.Core.Storage.Space;

namespace OfflineSidecar.Core.Storage;

public sealed record StoreOptions
{
    public const int DefaultMaxPayloadBytes = 1024 * 1024;

    public required string DatabasePath { get; init; }

    public SynchronousMode Synchronous { get; init; } = SynchronousMode.Full;

    public int MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;

    public const long DefaultMaxAttachmentBytes = 25L * 1024 * 1024;

    /// <summary>The largest file one attachment may be (checked at enqueue).</summary>
    public long MaxAttachmentBytes { get; init; } = DefaultMaxAttachmentBytes;

    /// <summary>How long a statement waits for another process (CLI, another sidecar) holding the write lock.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Watches the free space of the database's file system when set (the sidecar and the CLI); null: not watched.</summary>
    public IFreeSpaceProbe? FreeSpaceProbe { get; init; }

    public SpaceThresholds SpaceThresholds { get; init; } = SpaceThresholds.Default;
}
