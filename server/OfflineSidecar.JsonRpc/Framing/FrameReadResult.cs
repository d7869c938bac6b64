namespace OfflineSidecar.JsonRpc.Framing;

public sealed record FrameReadResult(FrameReadKind Kind, FrameBody? Body, long DeclaredLength, string? Detail)
{
    public static FrameReadResult EndOfStream(string? detail) => new(FrameReadKind.EndOfStream, null, 0, detail);
}
