namespace OfflineSidecar.JsonRpc.Framing;

public enum FrameReadKind
{
    /// <summary>A complete body; the caller owns <see cref="FrameReadResult.Body"/>.</summary>
    Message,

    /// <summary>The declared body exceeds the limit; it is skipped on the following reads.</summary>
    Oversize,

    /// <summary>The header block is unusable (missing, negative or non-numeric Content-Length, malformed line).
    /// The reader discards bytes until the next <c>Content-Length:</c> and carries on.</summary>
    BadHeader,

    /// <summary>The input ended. <see cref="FrameReadResult.Detail"/> is set when it ended inside a frame.</summary>
    EndOfStream,
}
