using System.Buffers;
using System.IO.Pipelines;

namespace OfflineSidecar.JsonRpc.Framing;

/// <summary>
/// Reads LSP base-protocol frames (<c>Content-Length: n\r\n[other headers]\r\n\r\n&lt;n bytes&gt;</c>) from a pipe.
/// <para>Error handling, chosen so that one bad frame never takes the connection down:</para>
/// <list type="bullet">
/// <item>Content-Length over the limit: reported as <see cref="FrameReadKind.Oversize"/> at once; the body is then
/// consumed as it streams by on the following reads, never held in memory.</item>
/// <item>Unusable header block (missing, negative, non-numeric, conflicting Content-Length, a line without ':',
/// or no blank line within <see cref="FrameReaderOptions.MaxHeaderBytes"/>): reported as
/// <see cref="FrameReadKind.BadHeader"/>; since the body length is unknown, bytes are discarded up to the next
/// <c>Content-Length:</c> (case-insensitive), where reading resumes.</item>
/// </list>
/// Not thread-safe: one reader loop owns it.
/// </summary>
public sealed class FrameReader(PipeReader input, FrameReaderOptions options)
{
    private static ReadOnlySpan<byte> HeaderTerminator => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> ResyncMarker => "content-length:"u8;

    private long skipRemaining;
    private bool resyncing;

    public async ValueTask<FrameReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ReadResult read = await input.ReadAsync(cancellationToken);
            if (read.IsCanceled)
            {
                throw new OperationCanceledException("frame read was cancelled");
            }

            ReadOnlySequence<byte> buffer = read.Buffer;

            if (skipRemaining > 0)
            {
                long take = Math.Min(skipRemaining, buffer.Length);
                skipRemaining -= take;
                input.AdvanceTo(buffer.GetPosition(take));
                if (skipRemaining > 0 && read.IsCompleted)
                {
                    return FrameReadResult.EndOfStream("input ended inside an oversize frame");
                }

                continue;
            }

            if (resyncing)
            {
                if (TryFindResyncMarker(buffer, out long markerOffset))
                {
                    resyncing = false;
                    input.AdvanceTo(buffer.GetPosition(markerOffset));
                    continue;
                }

                // Keep a tail that may be the start of a marker split across reads.
                long keep = Math.Min(buffer.Length, ResyncMarker.Length - 1);
                input.AdvanceTo(buffer.GetPosition(buffer.Length - keep), buffer.End);
                if (read.IsCompleted)
                {
                    return FrameReadResult.EndOfStream(null);
                }

                continue;
            }

            if (TryReadHeaderBlock(buffer, out ReadOnlySequence<byte> block, out SequencePosition bodyStart))
            {
                if (block.Length > options.MaxHeaderBytes)
                {
                    return BadHeader(bodyStart, $"header block longer than {options.MaxHeaderBytes} bytes");
                }

                FrameHeader header = FrameHeaderParser.Parse(block);
                if (!header.IsValid)
                {
                    return BadHeader(bodyStart, header.Error!);
                }

                input.AdvanceTo(bodyStart);
                if (header.ContentLength > options.MaxFrameBytes)
                {
                    skipRemaining = header.ContentLength;
                    return new FrameReadResult(FrameReadKind.Oversize, null, header.ContentLength,
                        $"frame of {header.ContentLength} bytes exceeds the limit of {options.MaxFrameBytes} bytes");
                }

                return await ReadBodyAsync((int)header.ContentLength, cancellationToken);
            }

            if (buffer.Length > options.MaxHeaderBytes + HeaderTerminator.Length)
            {
                // Drop one byte so the resync scan cannot find this very header again.
                return BadHeader(buffer.GetPosition(1), $"no end of header within {options.MaxHeaderBytes} bytes");
            }

            if (read.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return FrameReadResult.EndOfStream(buffer.IsEmpty ? null : "input ended inside a frame header");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private FrameReadResult BadHeader(SequencePosition consumeTo, string detail)
    {
        input.AdvanceTo(consumeTo);
        resyncing = true;
        return new FrameReadResult(FrameReadKind.BadHeader, null, -1, detail);
    }

    private async ValueTask<FrameReadResult> ReadBodyAsync(int length, CancellationToken cancellationToken)
    {
        var body = new FrameBody(length);
        try
        {
            int filled = 0;
            while (filled < length)
            {
                ReadResult read = await input.ReadAsync(cancellationToken);
                if (read.IsCanceled)
                {
                    throw new OperationCanceledException("frame read was cancelled");
                }

                ReadOnlySequence<byte> buffer = read.Buffer;
                int take = (int)Math.Min(length - filled, buffer.Length);
                buffer.Slice(0, take).CopyTo(body.Writable.Span[filled..]);
                filled += take;
                input.AdvanceTo(buffer.GetPosition(take));
                if (filled < length && read.IsCompleted)
                {
                    body.Dispose();
                    return FrameReadResult.EndOfStream($"input ended inside a frame body ({filled} of {length} bytes)");
                }
            }

            return new FrameReadResult(FrameReadKind.Message, body, length, null);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static bool TryReadHeaderBlock(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> block, out SequencePosition bodyStart)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out block, HeaderTerminator, advancePastDelimiter: true))
        {
            bodyStart = reader.Position;
            return true;
        }

        bodyStart = default;
        return false;
    }

    private static bool TryFindResyncMarker(ReadOnlySequence<byte> buffer, out long offset)
    {
        ReadOnlySpan<byte> marker = ResyncMarker;
        long index = 0;
        int matched = 0;
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            foreach (byte b in segment.Span)
            {
                byte lower = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
                // The marker's first letter occurs nowhere else in it, so a mismatch can restart at 0 or 1.
                matched = lower == marker[matched] ? matched + 1 : lower == marker[0] ? 1 : 0;
                index++;
                if (matched == marker.Length)
                {
                    offset = index - marker.Length;
                    return true;
                }
            }
        }

        offset = -1;
        return false;
    }
}
