using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>
/// A real <c>offline-sidecar serve --stdio</c> process and a minimal JSON-RPC client for it (LSP framing), keeping
/// the latest params of each notification method.
/// </summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Stream stdin;
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly ConcurrentDictionary<string, JsonNode?> latest = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Method, JsonNode? Params)> notifications = new();
    private readonly StringBuilder stderr = new();
    private readonly Task reader;
    private int nextId;
    private bool killed;

    private SidecarProcess(Process process)
    {
        this.process = process;
        stdin = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        reader = Task.Run(ReadLoopAsync);
    }

    public int Pid => process.Id;

    /// <summary>Set by <see cref="KillHard"/> before the kill, so a caller whose request failed knows why.</summary>
    public bool Killed => Volatile.Read(ref killed);

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <param name="token">The credentials the editor starts it with (initializationOptions.token).</param>
    /// <param name="executable">A published sidecar to run (e.g. dist/'s NativeAOT build); null: the build next to the tests.</param>
    public static async Task<SidecarProcess> StartAsync(string dataDir, string workspaceId, Uri serverUrl, object settings, string? token = null, string? executable = null)
    {
        var info = executable is null ? RepoPaths.SidecarStartInfo() : new ProcessStartInfo(executable);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--stdio");
        var sidecar = new SidecarProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start offline-sidecar"));
        await sidecar.RequestAsync("initialize", new
        {
            processId = (int?)null,
            initializationOptions = new { dataDir, workspaceId, serverUrl = serverUrl.ToString(), settings, token },
        });
        await sidecar.NotifyAsync("initialized", new { });
        return sidecar;
    }

    public JsonNode? Latest(string method) => latest.TryGetValue(method, out var value) ? value : null;

    /// <summary>Every notification of <paramref name="method"/> received so far, oldest first.</summary>
    public IReadOnlyList<JsonNode?> All(string method) => [.. notifications.Where(n => n.Method == method).Select(n => n.Params)];

    public async Task<JsonNode?> RequestAsync(string method, object? parameters, int timeoutSeconds = 30)
    {
        var id = Interlocked.Increment(ref nextId);
        var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = reply;
        await WriteAsync(parameters is null ? new { jsonrpc = "2.0", id, method } : new { jsonrpc = "2.0", id, method, @params = parameters });
        var finished = await Task.WhenAny(reply.Task, Task.Delay(TimeSpan.FromSeconds(timeoutSeconds)));
        if (finished != reply.Task)
        {
            throw new TimeoutException($"{method}: no answer within {timeoutSeconds} s; stderr: {Stderr}");
        }

        return await reply.Task;
    }

    public Task NotifyAsync(string method, object? parameters) =>
        WriteAsync(parameters is null ? new { jsonrpc = "2.0", method } : new { jsonrpc = "2.0", method, @params = parameters });

    public async Task<JsonNode> GetStatusAsync() => (await RequestAsync("offlineSync/getStatus", new { }))!;

    public async Task EnqueueAsync(string entityId, object payload) =>
        await RequestAsync("offlineSync/enqueue", new { type = "document.put.v1", entityId, payload });

    /// <summary>SIGKILL: no shutdown, no lease release, whatever was syncing stays syncing.</summary>
    public void KillHard()
    {
        Volatile.Write(ref killed, true);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try
            {
                await RequestAsync("shutdown", null, timeoutSeconds: 10);
                await NotifyAsync("exit", null);
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException or IOException or InvalidOperationException)
            {
                // Shutting down politely is best effort; the kill below is the guarantee.
            }

            KillHard();
        }

        try
        {
            await reader;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
        }

        process.Dispose();
        writing.Dispose();
    }

    private async Task WriteAsync(object message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n"));
        await writing.WaitAsync();
        try
        {
            await stdin.WriteAsync(header);
            await stdin.WriteAsync(body);
            await stdin.FlushAsync();
        }
        finally
        {
            writing.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var stdout = process.StandardOutput.BaseStream;
        while (true)
        {
            var length = await ReadContentLengthAsync(stdout);
            if (length is null)
            {
                break;
            }

            var body = new byte[length.Value];
            await stdout.ReadExactlyAsync(body);
            var message = JsonNode.Parse(body)!;
            var method = message["method"]?.GetValue<string>();
            var id = message["id"];
            if (method is null && id is not null && pending.TryRemove(id.GetValue<int>(), out var reply))
            {
                if (message["error"] is { } error)
                {
                    reply.TrySetException(new InvalidOperationException("JSON-RPC error: " + error.ToJsonString()));
                }
                else
                {
                    reply.TrySetResult(message["result"]);
                }
            }
            else if (method is not null && id is not null)
            {
                // A request from the sidecar (work-done progress): acknowledge it like an editor would.
                await WriteAsync(new { jsonrpc = "2.0", id = JsonNode.Parse(id.ToJsonString()), result = (object?)null });
            }
            else if (method is not null)
            {
                latest[method] = message["params"]?.DeepClone();
                notifications.Enqueue((method, message["params"]?.DeepClone()));
            }
        }

        foreach (var waiting in pending.Values)
        {
            waiting.TrySetException(new IOException("sidecar closed its output; stderr: " + Stderr));
        }
    }

    private static async Task<int?> ReadContentLengthAsync(Stream stream)
    {
        int? length = null;
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            if (one[0] != '\n')
            {
                if (one[0] != '\r')
                {
                    line.Append((char)one[0]);
                }

                continue;
            }

            if (line.Length == 0)
            {
                return length;
            }

            var text = line.ToString();
            if (text.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(text["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }

            line.Clear();
        }
    }
}
