using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.Host.Serve;
using OfflineSidecar.JsonRpc.Framing;

namespace OfflineSidecar.Fuzz;

/// <summary>
/// One input, one sidecar session: the real <see cref="SidecarServer"/> (framing, dispatch, params binding, handlers,
/// the SQLite store in <c>dataDir</c>) gets a well-formed initialize, then the input's bytes, then end of input.
/// A finding is anything a client's bytes must never cause: the read loop failing, a frame or a request handler
/// faulting (answered -32603 instead of a clear error), no end within the limit, or output that is not JSON-RPC.
/// </summary>
public static class SidecarFuzzTarget
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>What a session's log says when bytes broke something the sidecar promises to survive: the read loop
    /// failed, a frame faulted, or a request handler threw something no domain error covers (logged with its type).</summary>
    private static readonly Regex FaultSigns = new(
        @"^.*(reading the client's messages failed|frame could not be handled|\S+ failed: [\w.]+(Exception|Error)\b).*$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>Null when the sidecar handled the input as it should; otherwise what went wrong.</summary>
    public static string? Run(ReadOnlySpan<byte> input, string dataDir) =>
        RunAsync(input.ToArray(), dataDir).GetAwaiter().GetResult();

    private static async Task<string?> RunAsync(byte[] input, string dataDir)
    {
        var toServer = new Pipe();
        var fromServer = new Pipe();
        var logText = new StringWriter();
        var log = new SidecarLog(TextWriter.Synchronized(logText), TimeProvider.System);
        var options = new ServeOptions { DrainTimeout = TimeSpan.FromSeconds(2) };
        int code;
        var initialized = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = CollectAsync(fromServer.Reader, initialized);
        await using (var server = new SidecarServer(toServer.Reader, fromServer.Writer, options, TimeProvider.System,
                         (store, cache, syncOptions, time) => SyncEngine.Create(store, syncOptions, time, log.FromSync, cache), log))
        {
            var running = server.RunAsync();
            await toServer.Writer.WriteAsync(Frame(Initialize(dataDir)));
            // As a real client does: initialized and everything else only after initialize was answered.
            try
            {
                await initialized.Task.WaitAsync(Limit);
            }
            catch (TimeoutException)
            {
                return "initialize was not answered";
            }

            await toServer.Writer.WriteAsync(Frame("""{"jsonrpc":"2.0","method":"initialized","params":{}}"""));
            await toServer.Writer.WriteAsync(input);
            await toServer.Writer.CompleteAsync();
            try
            {
                code = await running.WaitAsync(Limit);
            }
            catch (TimeoutException)
            {
                return $"the session did not end within {Limit.TotalSeconds} s of the end of input";
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                return $"the server's run failed: {error}";
            }
        }

        await fromServer.Writer.CompleteAsync();
        var frames = await output;
        var text = logText.ToString();
        if (FaultSigns.Match(text) is { Success: true } fault)
        {
            // The line and the stack trace under it (FUZZ_VERBOSE=1), which is what fixing it needs.
            var verbose = Environment.GetEnvironmentVariable("FUZZ_VERBOSE") == "1";
            return $"log: {(verbose ? text[fault.Index..Math.Min(text.Length, fault.Index + 3000)] : fault.Value.TrimEnd())}";
        }

        return CheckOutput(frames) ?? (code is 0 or 1 ? null : $"exit code {code}");
    }

    private static string? CheckOutput(List<byte[]> frames)
    {
        if (frames.Count == 0)
        {
            return "no answer at all, not even to initialize";
        }

        foreach (var frame in frames)
        {
            try
            {
                using var document = JsonDocument.Parse(frame);
                var root = document.RootElement;
                // A batch (an array of requests) is answered with an array of responses.
                foreach (var message in root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root])
                {
                    if (CheckMessage(message) is { } problem)
                    {
                        return $"{problem}: {Encoding.UTF8.GetString(frame)}";
                    }
                }
            }
            catch (Exception error) when (error is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                return $"an output frame is not JSON ({error.Message}): {Encoding.UTF8.GetString(frame)}";
            }
        }

        var answer = frames.First(IsAnswerTo0);
        using var answered = JsonDocument.Parse(answer);
        return answered.RootElement.TryGetProperty("result", out _) ? null : $"initialize failed: {Encoding.UTF8.GetString(answer)}";
    }

    private static bool IsAnswerTo0(byte[] frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            return document.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.Number && id.GetInt64() == 0 && !root.TryGetProperty("method", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? CheckMessage(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("jsonrpc", out var version) || version.GetString() != "2.0")
        {
            return "an output message is not JSON-RPC 2.0";
        }

        return message.TryGetProperty("error", out var error) && error.GetProperty("code").GetInt32() == -32603 ? "answered internal error" : null;
    }

    private static async Task<List<byte[]>> CollectAsync(PipeReader reader, TaskCompletionSource initialized)
    {
        var frames = new List<byte[]>();
        var frameReader = new FrameReader(reader, new FrameReaderOptions());
        while (true)
        {
            var frame = await frameReader.ReadAsync();
            if (frame.Kind == FrameReadKind.EndOfStream)
            {
                return frames;
            }

            if (frame.Kind != FrameReadKind.Message)
            {
                frames.Add(Encoding.UTF8.GetBytes($"not a frame: {frame.Detail}"));
                continue;
            }

            using var body = frame.Body!;
            frames.Add(body.Memory.ToArray());
            if (!initialized.Task.IsCompleted && IsAnswerTo0(frames[^1]))
            {
                initialized.TrySetResult();
            }
        }
    }

    private static string Initialize(string dataDir) =>
        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"processId\":null,\"initializationOptions\":{\"dataDir\":"
        + JsonSerializer.Serialize(dataDir, FuzzJsonContext.Default.String) + ",\"workspaceId\":\"fuzz\"}}}";

    public static byte[] Frame(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }
}
