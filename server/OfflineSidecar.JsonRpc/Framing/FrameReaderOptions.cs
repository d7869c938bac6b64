namespace OfflineSidecar.JsonRpc.Framing;

public sealed record FrameReaderOptions
{
    public const int DefaultMaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>Bodies declared larger than this are skipped as they stream by, never buffered.</summary>
    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>A header block that does not end within this many bytes is treated as garbage.</summary>
    public int MaxHeaderBytes { get; init; } = 8 * 1024;
}
