using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using OfflineSidecar.JsonRpc.Framing;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>
/// The client side of the sidecar's stdio connection, built on the sidecar's own framing classes. Any number of
/// calls may be outstanding; one loop reads every frame, stamps its arrival time and completes the matching call.
/// Requests from the sidecar (window/workDoneProgress/create) are answered with a null result, as VS Code does.
/// </summary>
internal sealed class RpcClient : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(5);

    private readonly FrameReader reader;
    private readonly FrameWriter writer;
    private readonly PipeWriter output;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RpcReply>> pending = new();
    private readonly Task loop;
    private long nextId;

    public RpcClient(Stream fromSidecar, Stream toSidecar)
    {
        reader = new FrameReader(PipeReader.Create(fromSidecar), new FrameReaderOptions { MaxFrameBytes = 256 * 1024 * 1024 });
        output = PipeWriter.Create(toSidecar);
        writer = new FrameWriter(output);
        loop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Invoked on the read loop for every notification (method, params); handlers must be quick.</summary>
    public event Action<string, JsonElement>? Notified;

    public Task Completion => loop;

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

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var frame = await reader.ReadAsync();
                var receivedAt = Stopwatch.GetTimestamp();
                if (frame.Kind == FrameReadKind.EndOfStream)
                {
                    break;
                }

                if (frame.Kind != FrameReadKind.Message)
                {
                    continue;
                }

                JsonDocument document;
                using (var body = frame.Body!)
                {
                    document = JsonDocument.Parse(body.Memory.ToArray());
                }

                await DispatchAsync(document, receivedAt);
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
