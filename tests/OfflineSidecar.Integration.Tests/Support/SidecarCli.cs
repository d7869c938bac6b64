using System.Diagnostics;

namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>The sidecar binary run as its CLI on a data directory and workspace, the way a user would.</summary>
public static class SidecarCli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dataDir, string workspace, params string[] args)
    {
        var info = RepoPaths.SidecarStartInfo();
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        foreach (var arg in (string[])[.. args, "--data-dir", dataDir, "--workspace", workspace])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
