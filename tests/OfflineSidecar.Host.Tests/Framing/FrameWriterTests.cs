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
}
