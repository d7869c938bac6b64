using System.Diagnostics;
using System.Globalization;

namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>
/// A tmpfs of a few megabytes mounted for one test (root, or CAP_SYS_ADMIN, is needed), and a filler file that takes its
/// room away and gives it back. Where mounting is not allowed, <see cref="TryMount"/> says why and the test skips.
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private readonly TempDirectory mountPoint;

    private SmallFileSystem(TempDirectory mountPoint) => this.mountPoint = mountPoint;

    public string Path => mountPoint.Path;

    private string FillerPath => System.IO.Path.Combine(Path, "filler.bin");

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static SmallFileSystem? TryMount(int megabytes, out string whyNot)
    {
        var directory = new TempDirectory("small-fs");
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={megabytes}m,mode=0700"), "tmpfs", directory.Path);
        if (code != 0)
        {
            directory.Dispose();
            whyNot = $"cannot mount a {megabytes} MB tmpfs here (mount exited {code}: {output.Trim()}); this test needs root or CAP_SYS_ADMIN";
            return null;
        }

        whyNot = "";
        return new SmallFileSystem(directory);
    }

    /// <summary>Writes a filler file until only about <paramref name="leaveBytes"/> are left (tmpfs counts written pages only).</summary>
    public void FillLeaving(long leaveBytes)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)0x5a);
        using var filler = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.None, chunk.Length);
        while (FreeBytes > leaveBytes)
        {
            var size = (int)Math.Min(chunk.Length, FreeBytes - leaveBytes);
            filler.Write(chunk, 0, Math.Max(size, 4096));
            filler.Flush();
        }
    }

    public void RemoveFiller() => File.Delete(FillerPath);

    public void Dispose()
    {
        // Lazy: a process that still has a file open there (a sidecar being killed) must not keep the mount.
        Run("umount", "-l", Path);
        mountPoint.Dispose();
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return (-1, error.Message);
        }
    }
}
