using System.Buffers;

namespace OfflineSidecar.JsonRpc.Framing;

/// <summary>A frame body in a pooled buffer; dispose it once nothing reads <see cref="Memory"/> any more.</summary>
public sealed class FrameBody : IDisposable
{
    private byte[]? rented;

    internal FrameBody(int length)
    {
        this.rented = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => Writable;

    internal Memory<byte> Writable => (this.rented ?? throw new ObjectDisposedException(nameof(FrameBody))).AsMemory(0, Length);

    public void Dispose()
    {
        byte[]? rented = Interlocked.Exchange(ref this.rented, null);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
