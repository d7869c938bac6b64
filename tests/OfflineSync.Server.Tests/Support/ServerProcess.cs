using System.Diagnostics;

namespace OfflineSync.Server.Tests.Support;

/// <summary>The built offline-sync-server run as a child process on a free port.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "listening on ";
    private readonly Process process;
    private readonly HttpClient client;

    private ServerProcess(Process process, string url)
    {
        this.process = process;
        client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArguments) =>
        StartProcessAsync(["--port", "0", "--data-dir", dataDirectory, .. extraArguments]);

    /// <summary>A server process on <paramref name="database"/>'s store; several may share a PostgreSQL one.</summary>
    public static Task<ServerProcess> StartAsync(TestDatabase database, params string[] extraArguments) =>
        StartProcessAsync(["--port", "0", .. database.StoreArguments, .. extraArguments]);

    private static async Task<ServerProcess> StartProcessAsync(string[] arguments)
    {
        var process = Start(arguments);
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (firstLine is null || !firstLine.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"unexpected first line '{firstLine}'; stderr: {await process.StandardError.ReadToEndAsync()}");
            }

            Assert.StartsWith("http://127.0.0.1:", firstLine[ListeningPrefix.Length..], StringComparison.Ordinal);
            return new ServerProcess(process, firstLine[ListeningPrefix.Length..]);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public static async Task<(int ExitCode, string Stderr)> RunToEndAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stderr);
    }

    public SyncApi Api(string? token) => new(client) { Token = token };

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <returns>The exit code after SIGTERM.</returns>
    public async Task<int> TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static Process Start(IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(ServerAssemblyPath());
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the server process");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The project reference copies the server's assembly and runtimeconfig next to the tests.</summary>
    private static string ServerAssemblyPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "offline-sync-server.dll");
        return File.Exists(path) && File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json"))
            ? path
            : throw new FileNotFoundException("offline-sync-server.dll with its runtimeconfig was not found next to the tests", path);
    }
}
