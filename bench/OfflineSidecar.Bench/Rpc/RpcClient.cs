using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using OfflineSidecar.JsonRpc.Framing;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>
/// The client side of the sidecar's stdio connection, built on the sidecar's own framing classes. Any number of
/// calls may be outstanding; one loop reads every frame, stamps its arrival time and completes the matching call.
/// That loop is a dedicated thread doing blocking reads (like wrk): no epoll-to-thread-pool hop and no thread-pool
/// spinning per read, which on a 2-core machine would be taken from the sidecar being measured.
/// Requests from the sidecar (window/workDoneProgress/create) are answered with a null result, as VS Code does.
/// <para>Frames are cut out of the read buffer here (the sidecar always writes <c>Content-Length: n\r\n\r\n</c>);
/// answers to a <see cref="RawSink"/>'s requests go to it without a JsonDocument, everything else is parsed.</para>
/// </summary>
internal sealed class RpcClient : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(5);

    private readonly Stream fromSidecar;
    private readonly Stream toSidecar;
    private readonly FrameWriter writer;
    private readonly PipeWriter output;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RpcReply>> pending = new();
    private readonly Task loop;
    private long nextId;

    public RpcClient(Stream fromSidecar, Stream toSidecar)
    {
        this.fromSidecar = fromSidecar;
        this.toSidecar = toSidecar;
        output = PipeWriter.Create(toSidecar);
        writer = new FrameWriter(output);
        loop = Task.Factory.StartNew(ReadLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Invoked on the read loop for every notification (method, params); handlers must be quick.</summary>
    public event Action<string, JsonElement>? Notified;

    public Task Completion => loop;

    /// <summary>While set, answers to its requests go to it; see <see cref="PipelinedLoad"/>.</summary>
    public IRawReplySink? RawSink { get; set; }

    /// <summary>Reserves <paramref name="count"/> consecutive request ids; returns the first.</summary>
    public long ReserveIds(int count) => Interlocked.Add(ref nextId, count) - count + 1;

    /// <summary>Writes already framed requests in one write. Only while no <see cref="CallAsync"/> is being written.</summary>
    public void SendRaw(ReadOnlySpan<byte> frames)
    {
        toSidecar.Write(frames);
        toSidecar.Flush();
    }

    public async Task<RpcReply> CallAsync(string method, Action<Utf8JsonWriter>? writeParams, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref nextId);
        var call = new TaskCompletionSource<RpcReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = call;
        await writer.WriteAsync(Message(id, method, writeParams), cancellationToken);
        return await call.Task.WaitAsync(CallTimeout, cancellationToken);
    }

    public async Task NotifyAsync(string method, Action<Utf8JsonWriter>? writeParams, CancellationToken cancellationToken = default) =>
        await writer.WriteAsync(Message(null, method, writeParams), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await output.CompleteAsync();
        writer.Dispose();
        await Task.WhenAny(loop, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    private static ReadOnlyMemory<byte> Message(long? id, string method, Action<Utf8JsonWriter>? writeParams)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            if (id is { } value)
            {
                json.WriteNumber("id", value);
            }

            json.WriteString("method", method);
            if (writeParams is not null)
            {
                json.WritePropertyName("params");
                writeParams(json);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private void ReadLoop()
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    // Make room: move the unread tail to the front, or grow for a frame larger than the buffer.
                    var target = start > 0 ? buffer : new byte[buffer.Length * 2];
                    Buffer.BlockCopy(buffer, start, target, 0, end - start);
                    (buffer, end, start) = (target, end - start, 0);
                }

                var count = fromSidecar.Read(buffer, end, buffer.Length - end);
                if (count == 0)
                {
                    break;
                }

                var receivedAt = Stopwatch.GetTimestamp();
                end += count;
                var unread = new ReadOnlySequence<byte>(buffer, start, end - start);
                while (TryCutFrame(ref unread, out var body))
                {
                    if (RawSink is { } sink && ReplyPeek.TryRead(body, out var id, out var isError) && sink.TryAccept(id, isError, receivedAt))
                    {
                        continue;
                    }

                    DispatchAsync(JsonDocument.Parse(body.ToArray()), receivedAt).GetAwaiter().GetResult();
                }

                start = end - (int)unread.Length;
                if (start == end)
                {
                    start = end = 0;
                }

                RawSink?.AfterRead();
            }
        }
        catch (IOException)
        {
            // The sidecar went away; pending calls fail below.
        }
        finally
        {
            foreach (var call in pending.Values)
            {
                call.TrySetException(new IOException("the sidecar closed its output"));
            }
        }
    }

    /// <summary>Cuts one complete frame off the front of <paramref name="buffer"/>.</summary>
    private static bool TryCutFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> body)
    {
        body = default;
        var headers = new SequenceReader<byte>(buffer);
        if (!headers.TryReadTo(out ReadOnlySequence<byte> block, "\r\n\r\n"u8, advancePastDelimiter: true))
        {
            return false;
        }

        var length = ContentLength(block);
        if (headers.Remaining < length)
        {
            return false;
        }

        body = buffer.Slice(headers.Position, length);
        buffer = buffer.Slice(body.End);
        return true;
    }

    private static long ContentLength(ReadOnlySequence<byte> block)
    {
        var prefix = "Content-Length: "u8;
        Span<byte> text = stackalloc byte[(int)Math.Min(block.Length, 256)];
        block.Slice(0, text.Length).CopyTo(text);
        var at = text.IndexOf(prefix);
        if (at < 0 || !Utf8Parser.TryParse(text[(at + prefix.Length)..], out long length, out _) || length < 0)
        {
            throw new IOException("bad frame header from the sidecar: " + Encoding.ASCII.GetString(text));
        }

        return length;
    }

    private async Task DispatchAsync(JsonDocument document, long receivedAt)
    {
        var root = document.RootElement;
        var hasMethod = root.TryGetProperty("method", out var method);
        var hasId = root.TryGetProperty("id", out var id);
        if (!hasMethod && hasId && id.ValueKind == JsonValueKind.Number && pending.TryRemove(id.GetInt64(), out var call))
        {
            call.TrySetResult(new RpcReply(document, receivedAt));
            return;
        }

        using (document)
        {
            if (hasMethod && hasId)
            {
                await writer.WriteAsync(NullAnswer(id));
            }
            else if (hasMethod)
            {
                Notified?.Invoke(method.GetString()!, root.TryGetProperty("params", out var p) ? p : default);
            }
        }
    }

    private static ReadOnlyMemory<byte> NullAnswer(JsonElement id)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WritePropertyName("id");
            id.WriteTo(json);
            json.WriteNull("result");
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
