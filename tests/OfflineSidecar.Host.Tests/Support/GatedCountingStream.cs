namespace OfflineSidecar.Host.Tests.Support;

/// <summary>A write-only stream that counts writes and holds the first one until <see cref="ReleaseFirstWrite"/>.</summary>
internal sealed class GatedCountingStream : Stream
{
    private readonly TaskCompletionSource firstWriteReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource firstWriteStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MemoryStream written = new();
    private int writes;

    public int Writes => Volatile.Read(ref writes);

    public Task FirstWriteStarted => firstWriteStarted.Task;

    public byte[] Written
    {
        get
        {
            lock (written)
            {
                return written.ToArray();
            }
        }
    }

    public void ReleaseFirstWrite() => firstWriteReleased.TrySetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref writes) == 1)
        {
            firstWriteStarted.TrySetResult();
            await firstWriteReleased.Task;
        }

        lock (written)
        {
            written.Write(buffer.Span);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
