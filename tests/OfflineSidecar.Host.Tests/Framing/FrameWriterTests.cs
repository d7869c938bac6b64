using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Framing;

namespace OfflineSidecar.Host.Tests.Framing;

public sealed class FrameWriterTests
{
    [Fact]
    public async Task Writes_the_header_then_the_body()
    {
        var pipe = new Pipe();
        using var writer = new FrameWriter(pipe.Writer);

        await writer.WriteAsync("{\"a\":\"é\"}"u8.ToArray());
        await pipe.Writer.CompleteAsync();

        ReadResult read = await pipe.Reader.ReadAsync();
        Assert.Equal("Content-Length: 10\r\n\r\n{\"a\":\"é\"}", Encoding.UTF8.GetString(read.Buffer.ToArray()));
    }

    [Fact]
    public async Task Concurrent_writes_never_interleave()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        using var writer = new FrameWriter(pipe.Writer);
        const int writers = 16;
        const int framesEach = 50;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < framesEach; i++)
            {
                // Bodies of different sizes so a torn write would shift every later frame.
                string body = $"{{\"w\":{w},\"i\":{i},\"pad\":\"{new string((char)('a' + w), 100 + (w * 37) + i)}\"}}";
                await writer.WriteAsync(Encoding.UTF8.GetBytes(body));
            }
        })));
        await pipe.Writer.CompleteAsync();

        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        var seen = new HashSet<(int, int)>();
        while (true)
        {
            FrameReadResult frame = await reader.ReadAsync();
            if (frame.Kind == FrameReadKind.EndOfStream)
            {
                Assert.Null(frame.Detail);
                break;
            }

            Assert.Equal(FrameReadKind.Message, frame.Kind);
            using FrameBody body = frame.Body!;
            using var json = System.Text.Json.JsonDocument.Parse(body.Memory);
            int w = json.RootElement.GetProperty("w").GetInt32();
            string pad = json.RootElement.GetProperty("pad").GetString()!;
            Assert.All(pad, c => Assert.Equal((char)('a' + w), c));
            Assert.True(seen.Add((w, json.RootElement.GetProperty("i").GetInt32())));
        }

        Assert.Equal(writers * framesEach, seen.Count);
    }

    [Fact]
    public async Task Frames_written_while_a_flush_is_under_way_share_the_next_flush()
    {
        var stream = new GatedCountingStream();
        using var writer = new FrameWriter(PipeWriter.Create(stream));

        // The first frame's flush is held inside the stream's write; the burst queues up behind it.
        ValueTask<bool> first = writer.WriteAsync("{\"n\":0}"u8.ToArray());
        await stream.FirstWriteStarted;
        var burst = Enumerable.Range(1, 7).Select(n => writer.WriteAsync(Encoding.UTF8.GetBytes($"{{\"n\":{n}}}")).AsTask()).ToList();
        stream.ReleaseFirstWrite();

        Assert.True(await first);
        Assert.All(await Task.WhenAll(burst), Assert.True);
        Assert.Equal(2, stream.Writes);
        string expected = string.Concat(Enumerable.Range(0, 8).Select(n => $"Content-Length: 7\r\n\r\n{{\"n\":{n}}}"));
        Assert.Equal(expected, Encoding.UTF8.GetString(stream.Written));
    }

    [Fact]
    public async Task A_write_returns_only_after_its_frame_was_flushed()
    {
        var stream = new GatedCountingStream();
        using var writer = new FrameWriter(PipeWriter.Create(stream));

        Task<bool> write = writer.WriteAsync("{}"u8.ToArray()).AsTask();
        await stream.FirstWriteStarted;
        // "Not yet" has no signal to await. A writer that did not wait for its flush would have completed the write
        // when it queued the flush or, at the latest, when the flush reached the stream, which is already the case;
        // what is left is a continuation a thread-pool hop away, and 50 ms is hundreds of those.
        await Task.Delay(50);
        Assert.False(write.IsCompleted);

        stream.ReleaseFirstWrite();
        Assert.True(await write);
    }
}
