using System.Diagnostics;
using System.Text.Json;

namespace OfflineSidecar.Host.Tests.Support;

internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<CliRun> RunAsync(params string[] arguments)
    {
        using Process process = Process.Start(SidecarBinary.StartInfo(arguments))!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Process);
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    public JsonElement Json()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Stderr}");
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }
}
