using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Text.Json;
using OfflineSidecar.Bench.Infra;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>
/// A wrk-style load generator: N calls over C callers, each caller sending its next request only once its previous one
/// was answered, so exactly C requests are outstanding. To keep the client's CPU small next to the sidecar it measures:
/// every request is encoded (with its frame header) before the clock starts; replies are routed on the client's
/// single read loop without parsing more than id and result/error; and the requests that the replies of one read
/// release go out together in one write. Latency is from just before the write that carried a request to the read
/// that returned its answer.
/// </summary>
internal sealed class PipelinedLoad : IRawReplySink
{
    private readonly RpcClient client;
    private readonly byte[][] frames;
    private readonly long[] sentAt;
    private readonly LatencySamples latency;
    private readonly List<int> toSend = [];
    private readonly Lock gate = new();
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long firstId;
    private byte[] sendBuffer = new byte[64 * 1024];
    private int nextToSend;
    private int answered;
    private int errors;

    private PipelinedLoad(RpcClient client, byte[][] frames, long firstId)
    {
        this.client = client;
        this.frames = frames;
        this.firstId = firstId;
        sentAt = new long[frames.Length];
        latency = new LatencySamples(frames.Length);
    }

    public static async Task<(LatencySamples Latency, TimeSpan Elapsed)> RunAsync(
        RpcClient client, string method, int calls, int callers, Func<long, Action<Utf8JsonWriter>> paramsFor, long firstIndex)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(paramsFor);
        var firstId = client.ReserveIds(calls);
        var frames = new byte[calls][];
        for (var i = 0; i < calls; i++)
        {
            frames[i] = Encode(firstId + i, method, paramsFor(firstIndex + i));
        }

        var load = new PipelinedLoad(client, frames, firstId);
        var started = Stopwatch.GetTimestamp();
        client.RawSink = load;
        try
        {
            lock (load.gate)
            {
                for (var c = 0; c < Math.Min(callers, calls); c++)
                {
                    load.toSend.Add(load.nextToSend++);
                }

                load.SendReleased();
            }

            if (calls > 0)
            {
                await load.done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            }
        }
        finally
        {
            client.RawSink = null;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (load.errors > 0)
        {
            throw new InvalidOperationException($"{load.errors} of {calls} {method} calls were answered with an error");
        }

        return (load.latency, elapsed);
    }

    public bool TryAccept(long id, bool isError, long receivedAt)
    {
        var index = id - firstId;
        if (index < 0 || index >= frames.Length)
        {
            return false;
        }

        lock (gate)
        {
            latency.Add(receivedAt - sentAt[index]);
            errors += isError ? 1 : 0;
            if (nextToSend < frames.Length)
            {
                toSend.Add(nextToSend++);
            }

            if (++answered == frames.Length)
            {
                done.TrySetResult();
            }
        }

        return true;
    }

    public void AfterRead()
    {
        lock (gate)
        {
            SendReleased();
        }
    }

    // Caller holds gate.
    private void SendReleased()
    {
        if (toSend.Count == 0)
        {
            return;
        }

        var length = 0;
        foreach (var index in toSend)
        {
            length += frames[index].Length;
        }

        if (sendBuffer.Length < length)
        {
            sendBuffer = new byte[Math.Max(length, sendBuffer.Length * 2)];
        }

        var offset = 0;
        foreach (var index in toSend)
        {
            frames[index].CopyTo(sendBuffer, offset);
            offset += frames[index].Length;
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var index in toSend)
        {
            sentAt[index] = now;
        }

        toSend.Clear();
        client.SendRaw(sendBuffer.AsSpan(0, length));
    }

    private static byte[] Encode(long id, string method, Action<Utf8JsonWriter> writeParams)
    {
        var body = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WriteNumber("id", id);
            json.WriteString("method", method);
            json.WritePropertyName("params");
            writeParams(json);
            json.WriteEndObject();
        }

        Span<byte> digits = stackalloc byte[16];
        Utf8Formatter.TryFormat(body.WrittenCount, digits, out var digitCount);
        var header = "Content-Length: "u8;
        var frame = new byte[header.Length + digitCount + 4 + body.WrittenCount];
        header.CopyTo(frame);
        digits[..digitCount].CopyTo(frame.AsSpan(header.Length));
        "\r\n\r\n"u8.CopyTo(frame.AsSpan(header.Length + digitCount));
        body.WrittenSpan.CopyTo(frame.AsSpan(header.Length + digitCount + 4));
        return frame;
    }
}
