using System.IO.Pipelines;

namespace OfflineSidecar.JsonRpc.Stdio;

/// <summary>
/// The process's stdin and stdout as the pipes a <see cref="Dispatch.JsonRpcConnection"/> reads and writes. Reads
/// block (<see cref="BlockingReadStream"/>), so run the connection's read loop on a thread of its own
/// (<see cref="RunReadLoopAsync"/>). 64 KiB buffers: a batch of frames is read and written in few system calls.
/// </summary>
public static class StdioPipes
{
    public static PipeReader OpenInput() =>
        PipeReader.Create(new BlockingReadStream(Console.OpenStandardInput()), new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));

    public static PipeWriter OpenOutput() =>
        PipeWriter.Create(Console.OpenStandardOutput(), new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));

    /// <summary>
    /// Runs <paramref name="readLoop"/> on a thread of its own: its reads block, and every frame is then read and
    /// dispatched on that thread without thread-pool hops.
    /// </summary>
    public static Task RunReadLoopAsync(Func<Task> readLoop) =>
        Task.Factory.StartNew(readLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
}
