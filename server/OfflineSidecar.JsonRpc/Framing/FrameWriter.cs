using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;

namespace OfflineSidecar.JsonRpc.Framing;

/// <summary>
/// Writes frames one at a time: a lock around header, body and flush keeps concurrent responses and
/// notifications from interleaving. Once the output is gone (client closed its end) writes are dropped.
/// When more writers are already queued on the lock, a frame is left in the pipe for the last of them to flush:
/// a burst of responses (a group commit acknowledges several enqueues at once) costs one write syscall, not one each.
/// </summary>
public sealed class FrameWriter(PipeWriter output) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _closed;

    // Writers between entering WriteAsync and taking the lock; a frame is only left unflushed while this is above 0.
    private int _queued;

    // Guarded by _lock: a frame is in the pipe that nobody has flushed yet.
    private bool _unflushed;

    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Returns false when the output is closed and the frame was dropped.</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _queued);
        try
        {
            await _lock.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _queued);
            // Someone may have left a frame for this writer to flush: make sure it still goes out.
            _ = FlushLeftoverAsync();
            throw;
        }

        Interlocked.Decrement(ref _queued);
        try
        {
            if (_closed)
            {
                return false;
            }

            WriteHeader(output, body.Length);
            output.Write(body.Span);
            if (Volatile.Read(ref _queued) > 0)
            {
                // The next writer is already waiting for the lock and will flush this frame with its own.
                _unflushed = true;
                return true;
            }

            _unflushed = false;
            await FlushAsync();
            return true;
        }
        catch (IOException)
        {
            _closed = true;
            return false;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task FlushLeftoverAsync()
    {
        try
        {
            await _lock.WaitAsync(CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            if (_unflushed && !_closed && Volatile.Read(ref _queued) == 0)
            {
                _unflushed = false;
                await FlushAsync();
            }
        }
        catch (IOException)
        {
            _closed = true;
        }
        catch (ObjectDisposedException)
        {
            // Disposed while this was queued: the connection is gone, and so is whatever was left to flush.
        }
        finally
        {
            ReleaseIfNotDisposed();
        }
    }

    // Callers hold _lock.
    private async Task FlushAsync()
    {
        // Never cancel a flush half-way: a partial frame would corrupt the stream for good.
        FlushResult flushed = await output.FlushAsync(CancellationToken.None);
        if (flushed.IsCompleted)
        {
            _closed = true;
        }
    }

    private void ReleaseIfNotDisposed()
    {
        try
        {
            _lock.Release();
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

    public void Dispose() => _lock.Dispose();
}
