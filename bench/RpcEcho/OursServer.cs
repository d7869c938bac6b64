using System.IO.Pipelines;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Bench.RpcEcho;

/// <summary>OfflineSidecar.JsonRpc over stdio, set up as the sidecar's StdioSidecar does (blocking stdin reads on
/// a thread of its own, 64 KiB pipes), with no lifecycle gate, store or session: the JSON-RPC layer alone.</summary>
internal static class OursServer
{
    private static readonly RequestType<EnqueueLikeParams, EnqueueLikeResult> Enqueue = new(
        "bench/enqueue", MessageDirection.ClientToServer, () => EchoJsonContext.Default.EnqueueLikeParams, () => EchoJsonContext.Default.EnqueueLikeResult);

    private static readonly RequestType<WaitParams, WaitResult> Wait = new(
        "bench/wait", MessageDirection.ClientToServer, () => EchoJsonContext.Default.WaitParams, () => EchoJsonContext.Default.WaitResult);

    public static async Task<int> RunAsync()
    {
        var input = PipeReader.Create(new BlockingStdin(Console.OpenStandardInput()), new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
        var output = PipeWriter.Create(Console.OpenStandardOutput(), new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        await using var connection = new JsonRpcConnection(input, output, new JsonRpcConnectionOptions
        {
            Log = (level, message) => Console.Error.WriteLine($"[ours {level}] {message}"),
        });
        connection.AddRequestHandler(Enqueue, (p, _) => Task.FromResult(EchoWork.Enqueue(p)));
        connection.AddRequestHandler(Wait, EchoWork.WaitAsync);
        await Task.Factory.StartNew(() => connection.RunAsync(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return 0;
    }

    /// <summary>The sidecar's BlockingReadStream: async reads done as blocking reads on the read loop's own thread.</summary>
    private sealed class BlockingStdin(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(inner.Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
