using System.Runtime.InteropServices;

namespace OfflineSidecar.Core.Tests.TestSupport;

/// <summary>
/// A named pipe (mkfifo) standing in for an attachment source: whoever opens it to read waits in the kernel until
/// <see cref="Feed"/> writes and closes it. So a test holds an enqueue in the middle of its copy without any sleep.
/// </summary>
internal sealed class FifoFile
{
    private const uint OwnerReadWrite = 0x180; // 0600

    private FifoFile(string path) => Path = path;

    public string Path { get; }

    public static FifoFile Create(string path)
    {
        if (MakeFifo(path, OwnerReadWrite) != 0)
        {
            throw new IOException($"mkfifo {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }

        return new FifoFile(path);
    }

    /// <summary>Writes <paramref name="content"/> and closes the pipe (the reader sees the end); off the caller's thread,
    /// since opening blocks until the reader opens.</summary>
    public Task Feed(byte[] content) => Task.Run(() =>
    {
        using var output = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        output.Write(content);
    });

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
