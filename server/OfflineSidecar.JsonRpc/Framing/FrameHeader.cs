namespace OfflineSidecar.JsonRpc.Framing;

/// <summary>The parsed header block: either a body length or the reason it is unusable.</summary>
internal readonly record struct FrameHeader(long ContentLength, string? Error)
{
    public bool IsValid => Error is null;

    public static FrameHeader Invalid(string error) => new(-1, error);
}
