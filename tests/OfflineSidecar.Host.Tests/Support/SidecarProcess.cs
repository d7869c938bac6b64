using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using OfflineSidecar.JsonRpc.Framing;

namespace OfflineSidecar.Host.Tests.Support;

/// <summary>The real sidecar process over its real stdin/stdout pipes.</summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private readonly FrameReader frames;
    private readonly StringBuilder stderr = new();
    private long nextId;

    private SidecarProcess(Process process)
    {
        Process = process;
        this.frames = new FrameReader(PipeReader.Create(process.StandardOutput.BaseStream), new FrameReaderOptions());
        process.ErrorDataReceived += (_, e) =>
        {
            lock (this.stderr)
            {
                this.stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Stderr
    {
        get
        {
            lock (this.stderr)
            {
                return this.stderr.ToString();
            }
        }
    }

    public static SidecarProcess Start(params string[] arguments) =>
        new(Process.Start(SidecarBinary.StartInfo(["serve", "--stdio", .. arguments]))!);

    /// <summary>
    /// The sidecar under <c>strace</c>, which writes every file write, flush and pipe write of every thread to
    /// <paramref name="traceFile"/> (paths resolved, 4 KiB of data shown).
    /// </summary>
    public static SidecarProcess StartTraced(string traceFile, params string[] arguments)
    {
        var sidecar = SidecarBinary.StartInfo(["serve", "--stdio", .. arguments]);
        var strace = new ProcessStartInfo(StraceBinary())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-f", "-qq", "-y", "-s", "4096", "-e", "trace=write,writev,pwrite64,pwritev,pwritev2,fsync,fdatasync", "-o", traceFile, "--", sidecar.FileName })
        {
            strace.ArgumentList.Add(argument);
        }

        foreach (var argument in sidecar.ArgumentList)
        {
            strace.ArgumentList.Add(argument);
        }

        return new(Process.Start(strace)!);
    }

    private static string StraceBinary()
    {
        var found = new[] { "/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace" }.FirstOrDefault(File.Exists);
        Assert.True(found is not null, "strace is needed for the disk-order tests: apt-get install strace (.ci/run installs it)");
        return found!;
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await Process.StandardInput.BaseStream.WriteAsync(bytes);
        await Process.StandardInput.BaseStream.FlushAsync();
    }

    public Task SendAsync(string json) => SendRawAsync(Frames.Of(json));

    public long NextId() => Interlocked.Increment(ref nextId);

    public async Task<JsonElement> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Process);
        FrameReadResult frame = await this.frames.ReadAsync(timeout.Token);
        Assert.True(frame.Kind == FrameReadKind.Message, $"expected a frame, got {frame.Kind} {frame.Detail}; stderr:\n{Stderr}");
        using FrameBody body = frame.Body!;
        using var document = JsonDocument.Parse(body.Memory);
        return document.RootElement.Clone();
    }

    public async Task<JsonElement> RequestAsync(string method, string parameters)
    {
        long id = NextId();
        await SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{parameters}}}");
        return await ReadResponseAsync(id);
    }

    public async Task<JsonElement> ReadResponseAsync(long id)
    {
        while (true)
        {
            JsonElement message = await ReadAsync();
            if (!message.TryGetProperty("method", out _) && message.TryGetProperty("id", out JsonElement got)
                && got.ValueKind == JsonValueKind.Number && got.GetInt64() == id)
            {
                return message;
            }
        }
    }

    /// <summary>The next response (skipping notifications such as the window/logMessage that explains an error).</summary>
    public async Task<JsonElement> ReadNextResponseAsync()
    {
        while (true)
        {
            JsonElement message = await ReadAsync();
            if (!message.TryGetProperty("method", out _))
            {
                return message;
            }
        }
    }

    /// <summary>Reads stdout to its end, failing on anything that is not a well-formed frame.</summary>
    public async Task<int> ReadRemainingFramesAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Process);
        int frames = 0;
        while (true)
        {
            FrameReadResult frame = await this.frames.ReadAsync(timeout.Token);
            if (frame.Kind == FrameReadKind.EndOfStream)
            {
                Assert.Null(frame.Detail);
                return frames;
            }

            Assert.Equal(FrameReadKind.Message, frame.Kind);
            using FrameBody body = frame.Body!;
            using var document = JsonDocument.Parse(body.Memory);
            frames++;
        }
    }

    public Task NotifyAsync(string method, string parameters = "{}") =>
        SendAsync($"{{\"jsonrpc\":\"2.0\",\"method\":\"{method}\",\"params\":{parameters}}}");

    public Task<JsonElement> InitializeAsync(string dataDir, string workspaceId = "ws", int? processId = null) =>
        RequestAsync("initialize",
            $"{{\"processId\":{(processId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null")},\"initializationOptions\":{{\"dataDir\":{JsonSerializer.Serialize(dataDir)},\"workspaceId\":\"{workspaceId}\"}}}}");

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Process);
        await Process.WaitForExitAsync(timeout.Token);
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }
}
