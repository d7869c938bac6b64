using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;

namespace OfflineSidecar.JsonRpc.Framing;

/// <summary>
/// Writes frames: a lock around header and body keeps concurrent responses and notifications from interleaving.
/// Flushing is shared: the first frame written after a flush schedules one flush (a thread-pool work item queued
/// behind the current one), every frame written before it runs rides along, and each writer returns once the flush
/// that carried its frame is done. A burst of responses (a group commit acknowledges several enqueues at once, from
/// one thread) therefore costs one write syscall, not one each. Once the output is gone writes are dropped.
/// </summary>
public sealed class FrameWriter(PipeWriter output) : IDisposable
{
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private bool closed;

    // Guarded by writeLock: completed (true = flushed) by the flush that will carry the frames written since the last one.
    private TaskCompletionSource<bool>? pendingFlush;

    public bool IsClosed => Volatile.Read(ref this.closed);

    /// <summary>Returns false when the output is closed and the frame was dropped.</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken);
        Task<bool> flushed;
        try
        {
            if (this.closed)
            {
                return false;
            }

            WriteHeader(output, body.Length);
            output.Write(body.Span);
            if (pendingFlush is null)
            {
                // Plain completion: the writers waiting on it only finish their own bookkeeping.
                pendingFlush = new TaskCompletionSource<bool>();
                ThreadPool.UnsafeQueueUserWorkItem(static writer => _ = writer.FlushPendingAsync(), this, preferLocal: true);
            }

            flushed = pendingFlush.Task;
        }
        finally
        {
            writeLock.Release();
        }

        return await flushed;
    }

    private async Task FlushPendingAsync()
    {
        try
        {
            await writeLock.WaitAsync(CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: the connection is gone, and so is whatever was left to flush.
            Interlocked.Exchange(ref pendingFlush, null)?.TrySetResult(false);
            return;
        }

        TaskCompletionSource<bool> done = pendingFlush!;
        pendingFlush = null;
        bool flushed = false;
        try
        {
            // Never cancel a flush half-way: a partial frame would corrupt the stream for good.
            FlushResult result = await output.FlushAsync(CancellationToken.None);
            this.closed |= result.IsCompleted;
            flushed = true;
        }
        catch (IOException)
        {
            this.closed = true;
        }
        catch (ObjectDisposedException)
        {
            this.closed = true;
        }
        finally
        {
            ReleaseIfNotDisposed();
        }

        done.TrySetResult(flushed);
    }

    private void ReleaseIfNotDisposed()
    {
        try
        {
            writeLock.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static void WriteHeader(PipeWriter output, int length)
    {
        ReadOnlySpan<byte> prefix = "Content-Length: "u8;
        ReadOnlySpan<byte> suffix = "\r\n\r\n"u8;
        Span<byte> span = output.GetSpan(prefix.Length + 11 + suffix.Length);
        prefix.CopyTo(span);
        Utf8Formatter.TryFormat(length, span[prefix.Length..], out int digits);
        suffix.CopyTo(span[(prefix.Length + digits)..]);
        output.Advance(prefix.Length + digits + suffix.Length);
    }

    public void Dispose() => writeLock.Dispose();
}
