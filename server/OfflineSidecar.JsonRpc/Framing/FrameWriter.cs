using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;

namespace OfflineSidecar.JsonRpc.Framing;

/// <summary>
/// Writes frames one at a time: a lock around header, body and flush keeps concurrent responses and
/// notifications from interleaving. Once the output is gone (client closed its end) writes are dropped.
/// </summary>
public sealed class FrameWriter(PipeWriter output) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _closed;

    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Returns false when the output is closed and the frame was dropped.</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
            {
                return false;
            }

            WriteHeader(output, body.Length);
            output.Write(body.Span);
            // Never cancel a flush half-way: a partial frame would corrupt the stream for good.
            FlushResult flushed = await output.FlushAsync(CancellationToken.None);
            if (flushed.IsCompleted)
            {
                _closed = true;
            }

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
