using System.IO.Pipelines;
using System.Text;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Framing;

namespace OfflineSidecar.Host.Tests.Framing;

public sealed class FrameReaderTests
{
    private static Pipe NewPipe(long pauseWriterThreshold = 65536) => new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: pauseWriterThreshold,
        resumeWriterThreshold: pauseWriterThreshold / 2,
        useSynchronizationContext: false));

    private static async Task WriteAsync(Pipe pipe, string ascii) => await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(ascii));

    private static string BodyOf(FrameReadResult result)
    {
        Assert.Equal(FrameReadKind.Message, result.Kind);
        using FrameBody body = result.Body!;
        return Encoding.UTF8.GetString(body.Memory.Span);
    }

    [Fact]
    public async Task Reads_a_frame()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        await WriteAsync(pipe, "Content-Length: 7\r\n\r\n{\"a\":1}");

        Assert.Equal("{\"a\":1}", BodyOf(await reader.ReadAsync()));
    }

    [Fact]
    public async Task Header_names_are_case_insensitive_and_content_type_is_tolerated()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        await WriteAsync(pipe, "content-LENGTH:7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"a\":1}");

        Assert.Equal("{\"a\":1}", BodyOf(await reader.ReadAsync()));
    }

    [Fact]
    public async Task Header_split_across_reads()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        await WriteAsync(pipe, "Content-Len");
        ValueTask<FrameReadResult> pending = reader.ReadAsync();
        Assert.False(pending.IsCompleted);

        await WriteAsync(pipe, "gth: 7\r");
        Assert.False(pending.IsCompleted);
        await WriteAsync(pipe, "\n\r");
        Assert.False(pending.IsCompleted);
        await WriteAsync(pipe, "\n{\"a\":1}");

        Assert.Equal("{\"a\":1}", BodyOf(await pending));
    }

    [Fact]
    public async Task Body_split_across_reads()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        await WriteAsync(pipe, "Content-Length: 13\r\n\r\n{\"text\"");
        ValueTask<FrameReadResult> pending = reader.ReadAsync();
        Assert.False(pending.IsCompleted);

        await WriteAsync(pipe, ":\"hi\"}");

        Assert.Equal("{\"text\":\"hi\"}", BodyOf(await pending));
    }

    [Fact]
    public async Task Two_frames_in_one_read()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        await WriteAsync(pipe, "Content-Length: 7\r\n\r\n{\"a\":1}Content-Length: 7\r\n\r\n{\"b\":2}");

        Assert.Equal("{\"a\":1}", BodyOf(await reader.ReadAsync()));
        Assert.Equal("{\"b\":2}", BodyOf(await reader.ReadAsync()));
    }

    [Fact]
    public async Task Content_length_counts_utf8_bytes_not_characters()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        // "é" is two bytes in UTF-8: the body is 10 bytes for 9 characters.
        await pipe.Writer.WriteAsync("Content-Length: 10\r\n\r\n{\"a\":\"é\"}Content-Length: 2\r\n\r\n{}"u8.ToArray());

        Assert.Equal("{\"a\":\"é\"}", BodyOf(await reader.ReadAsync()));
        Assert.Equal("{}", BodyOf(await reader.ReadAsync()));
    }

    [Theory]
    [InlineData("Content-Type: application/vscode-jsonrpc\r\n\r\n{\"a\":1}", "missing Content-Length")]
    [InlineData("Content-Length: -5\r\n\r\n{\"a\":1}", "negative")]
    [InlineData("Content-Length: abc\r\n\r\n{\"a\":1}", "not a number")]
    [InlineData("Content-Length: 7\r\nno colon here\r\n\r\n{\"a\":1}", "malformed header line")]
    [InlineData("Content-Length: 7\r\nContent-Length: 8\r\n\r\n{\"a\":1}", "conflicting")]
    public async Task Bad_header_is_reported_then_reading_resumes_at_the_next_frame(string bad, string reason)
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        await WriteAsync(pipe, bad + "Content-Length: 7\r\n\r\n{\"b\":2}");

        FrameReadResult first = await reader.ReadAsync();
        Assert.Equal(FrameReadKind.BadHeader, first.Kind);
        Assert.Contains(reason, first.Detail, StringComparison.Ordinal);
        Assert.Equal("{\"b\":2}", BodyOf(await reader.ReadAsync()));
    }

    [Fact]
    public async Task Resync_finds_a_header_split_across_reads()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        await WriteAsync(pipe, "Content-Length: x\r\n\r\ngarbage garbage Content-Le");
        Assert.Equal(FrameReadKind.BadHeader, (await reader.ReadAsync()).Kind);
        ValueTask<FrameReadResult> next = reader.ReadAsync();
        Assert.False(next.IsCompleted);

        await WriteAsync(pipe, "ngth: 2\r\n\r\n{}");

        Assert.Equal("{}", BodyOf(await next));
    }

    [Fact]
    public async Task Header_without_end_within_the_limit_is_a_bad_header()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions { MaxHeaderBytes = 64 });
        await WriteAsync(pipe, "Content-Length: 2\r\nX-Padding: " + new string('x', 100));

        FrameReadResult result = await reader.ReadAsync();

        Assert.Equal(FrameReadKind.BadHeader, result.Kind);
        Assert.Contains("no end of header", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_frame_is_refused_before_its_body_arrives_and_skipped_without_buffering()
    {
        // The writer pauses once 32 bytes are unconsumed: if the reader held the 1000-byte body, writing it would hang.
        Pipe pipe = NewPipe(pauseWriterThreshold: 32);
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions { MaxFrameBytes = 16 });
        await WriteAsync(pipe, "Content-Length: 1000\r\n\r\n");

        FrameReadResult refused = await reader.ReadAsync();
        Assert.Equal(FrameReadKind.Oversize, refused.Kind);
        Assert.Equal(1000, refused.DeclaredLength);

        ValueTask<FrameReadResult> next = reader.ReadAsync();
        Task writing = Task.Run(async () =>
        {
            await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(new string('z', 1000)));
            await WriteAsync(pipe, "Content-Length: 7\r\n\r\n{\"b\":2}");
        });

        Assert.Equal("{\"b\":2}", BodyOf(await next.AsTask().WaitAsync(TestTimeouts.Message)));
        await writing.WaitAsync(TestTimeouts.Message);
    }

    [Fact]
    public async Task Zero_length_body_is_a_message_with_an_empty_body()
    {
        Pipe pipe = NewPipe();
        var reader = new FrameReader(pipe.Reader, new FrameReaderOptions());
        await WriteAsync(pipe, "Content-Length: 0\r\n\r\nContent-Length: 2\r\n\r\n{}");

        Assert.Equal("", BodyOf(await reader.ReadAsync()));
        Assert.Equal("{}", BodyOf(await reader.ReadAsync()));
    }

    [Fact]
    public async Task End_of_stream_between_frames_is_clean_and_inside_a_body_is_reported()
    {
        Pipe clean = NewPipe();
        var cleanReader = new FrameReader(clean.Reader, new FrameReaderOptions());
        await WriteAsync(clean, "Content-Length: 2\r\n\r\n{}");
        await clean.Writer.CompleteAsync();
        Assert.Equal("{}", BodyOf(await cleanReader.ReadAsync()));
        FrameReadResult end = await cleanReader.ReadAsync();
        Assert.Equal(FrameReadKind.EndOfStream, end.Kind);
        Assert.Null(end.Detail);

        Pipe cut = NewPipe();
        var cutReader = new FrameReader(cut.Reader, new FrameReaderOptions());
        await WriteAsync(cut, "Content-Length: 10\r\n\r\n{\"a\"");
        await cut.Writer.CompleteAsync();
        FrameReadResult truncated = await cutReader.ReadAsync();
        Assert.Equal(FrameReadKind.EndOfStream, truncated.Kind);
        Assert.Contains("4 of 10 bytes", truncated.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_helper_produces_the_literal_wire_form()
    {
        Assert.Equal("Content-Length: 7\r\n\r\n{\"a\":1}", Encoding.ASCII.GetString(Frames.Of("{\"a\":1}")));
    }
}
