using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using OfflineSidecar.JsonRpc.Framing;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

/// <summary>
/// A JSON-RPC 2.0 endpoint over LSP base-protocol frames.
/// <para>Dispatch: incoming requests and notifications start in arrival order on the read loop and run
/// synchronously up to their first await, then concurrently (at most
/// <see cref="JsonRpcConnectionOptions.MaxConcurrentHandlers"/>). So a handler that hands its work to a queue
/// before awaiting keeps the client's order, and slow handlers do not hold up others.</para>
/// <para>Responses are written when each handler finishes; batch answers once all members finished.</para>
/// </summary>
public sealed class JsonRpcConnection : IAsyncDisposable
{
    private const string CancelRequestMethod = "$/cancelRequest";

    private readonly FrameReader reader;
    private readonly FrameWriter writer;
    private readonly JsonRpcConnectionOptions options;
    private readonly Dictionary<string, IncomingHandler> handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<JsonRpcId, CancellationTokenSource> inFlight = new();
    private readonly ConcurrentDictionary<JsonRpcId, PendingOutgoingRequest> outgoing = new();
    private readonly ConcurrentDictionary<Task, byte> running = new();
    private readonly SemaphoreSlim slots;
    private readonly CancellationTokenSource lifetime = new();
    private long nextOutgoingId;
    private int started;
    private int closedLogged;
    private int disposed;
    private bool slotWaitLogged;

    public JsonRpcConnection(PipeReader input, PipeWriter output, JsonRpcConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        this.options = options ?? new JsonRpcConnectionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxConcurrentHandlers, 1);
        reader = new FrameReader(input, this.options.Framing);
        writer = new FrameWriter(output);
        slots = new SemaphoreSlim(this.options.MaxConcurrentHandlers, this.options.MaxConcurrentHandlers);
    }

    public void AddRequestHandler<TParams, TResult>(RequestType<TParams, TResult> type, Func<TParams, CancellationToken, Task<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(handler);
        Register(new RequestHandler<TParams, TResult>(type, handler));
    }

    public void AddNotificationHandler<TParams>(NotificationType<TParams> type, Func<TParams, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(handler);
        Register(new NotificationHandler<TParams>(type, handler));
    }

    /// <summary>Reads and dispatches until the input ends or <paramref name="cancellationToken"/> fires.
    /// Does not wait for running handlers; see <see cref="DrainAsync"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("the connection is already running");
        }

        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
        try
        {
            while (true)
            {
                FrameReadResult frame = await reader.ReadAsync(linked.Token);
                switch (frame.Kind)
                {
                    case FrameReadKind.EndOfStream:
                        if (frame.Detail is not null)
                        {
                            Log(JsonRpcLogLevel.Warning, frame.Detail);
                        }

                        return;
                    case FrameReadKind.Oversize:
                    case FrameReadKind.BadHeader:
                        Log(JsonRpcLogLevel.Error, $"refused frame: {frame.Detail}");
                        await WriteAsync(MessageWriter.Error(JsonRpcId.Null, JsonRpcErrorCodes.InvalidRequest, $"Invalid request: {frame.Detail}"));
                        break;
                    case FrameReadKind.Message:
                        using (FrameBody body = frame.Body!)
                        {
                            await ProcessFrameAsync(body.Memory);
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Stopped on purpose.
        }
        catch (IOException ex)
        {
            // Not an end of input: the caller sees the loop fail and says so.
            Log(JsonRpcLogLevel.Warning, $"input failed: {ex.Message}");
            throw;
        }
    }

    public async Task NotifyAsync<TParams>(NotificationType<TParams> type, TParams parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        await WriteAsync(MessageWriter.Notification(type.Method, parameters, type.ParamsType), cancellationToken);
    }

    /// <summary>Sends a request to the peer. Cancelling sends <c>$/cancelRequest</c> and stops waiting.</summary>
    public async Task<TResult> SendRequestAsync<TParams, TResult>(RequestType<TParams, TResult> type, TParams parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var id = JsonRpcId.From(Interlocked.Increment(ref nextOutgoingId));
        var pending = new PendingOutgoingRequest<TResult>(type.ResultType);
        this.outgoing[id] = pending;
        try
        {
            if (!await WriteAsync(MessageWriter.Request(id, type.Method, parameters, type.ParamsType), cancellationToken))
            {
                throw new IOException($"cannot send {type.Method}: the output is closed");
            }

            using CancellationTokenRegistration registration = cancellationToken.Register(() =>
            {
                if (this.outgoing.TryRemove(id, out PendingOutgoingRequest? cancelled))
                {
                    cancelled.Fail(new OperationCanceledException(cancellationToken));
                    _ = WriteAsync(MessageWriter.CancelRequest(id));
                }
            });
            return await pending.Task;
        }
        finally
        {
            this.outgoing.TryRemove(id, out _);
        }
    }

    /// <summary>Waits until every running handler finished and its answer was written, or the timeout passed.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Task all = Task.WhenAll(this.running.Keys);
        await Task.WhenAny(all, Task.Delay(timeout));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await lifetime.CancelAsync();

        foreach (CancellationTokenSource inFlight in this.inFlight.Values)
        {
            TryCancel(inFlight);
        }

        foreach (PendingOutgoingRequest pending in this.outgoing.Values)
        {
            pending.Fail(new ObjectDisposedException(nameof(JsonRpcConnection)));
        }

        await DrainAsync(TimeSpan.FromSeconds(2));
        writer.Dispose();
        lifetime.Dispose();
    }

    private void Register(IncomingHandler handler)
    {
        if (Volatile.Read(ref started) != 0)
        {
            throw new InvalidOperationException("register handlers before RunAsync");
        }

        if (!this.handlers.TryAdd(handler.Type.Method, handler))
        {
            throw new InvalidOperationException($"{handler.Type.Method} already has a handler");
        }
    }

    /// <summary>One frame, whatever it holds: a fault in reading one message answers that message and leaves the
    /// connection reading, since ending the loop would stop the whole process over one frame.</summary>
    private async Task ProcessFrameAsync(ReadOnlyMemory<byte> body)
    {
        try
        {
            await ProcessBodyAsync(body);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or IOException or OutOfMemoryException))
        {
            Log(JsonRpcLogLevel.Error, $"frame could not be handled: {ex}");
            await WriteAsync(MessageWriter.Error(JsonRpcId.Null, JsonRpcErrorCodes.InternalError, $"Internal error: the message could not be handled ({ex.GetType().Name})"));
        }
    }

    private async Task ProcessBodyAsync(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            Log(JsonRpcLogLevel.Error, $"frame body is not JSON: {ex.Message}");
            await WriteAsync(MessageWriter.Error(JsonRpcId.Null, JsonRpcErrorCodes.ParseError, $"Parse error: {ex.Message}"));
            return;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                Task<ReadOnlyMemory<byte>>? answer = await DispatchAsync(root);
                if (answer is not null)
                {
                    Track(WriteWhenDoneAsync(answer));
                }

                return;
            }

            if (root.GetArrayLength() == 0)
            {
                await WriteAsync(MessageWriter.Error(JsonRpcId.Null, JsonRpcErrorCodes.InvalidRequest, "Invalid request: empty batch"));
                return;
            }

            var answers = new List<Task<ReadOnlyMemory<byte>>>();
            foreach (JsonElement member in root.EnumerateArray())
            {
                if (await DispatchAsync(member) is { } answer)
                {
                    answers.Add(answer);
                }
            }

            if (answers.Count > 0)
            {
                Track(WriteBatchWhenDoneAsync(answers));
            }
        }
    }

    /// <summary>Starts one message. Returns its answer (requests and invalid messages) or null (notifications, responses).</summary>
    private async ValueTask<Task<ReadOnlyMemory<byte>>?> DispatchAsync(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return Answer(JsonRpcId.Null, JsonRpcErrorCodes.InvalidRequest, "Invalid request: a message must be a JSON object");
        }

        bool hasId = message.TryGetProperty("id"u8, out JsonElement idElement);
        JsonRpcId id = JsonRpcId.Null;
        if (hasId && !JsonRpcId.TryRead(idElement, out id))
        {
            return Answer(JsonRpcId.Null, JsonRpcErrorCodes.InvalidRequest, "Invalid request: id must be a string or an integer");
        }

        if (!message.TryGetProperty("jsonrpc"u8, out JsonElement version) || !JsonStrings.TryRead(version, out string versionText) || versionText != "2.0")
        {
            return Answer(id, JsonRpcErrorCodes.InvalidRequest, "Invalid request: jsonrpc must be \"2.0\"");
        }

        if (!message.TryGetProperty("method"u8, out JsonElement methodElement))
        {
            if (hasId && (message.TryGetProperty("result"u8, out _) || message.TryGetProperty("error"u8, out _)))
            {
                AcceptResponse(id, message);
                return null;
            }

            return Answer(id, JsonRpcErrorCodes.InvalidRequest, "Invalid request: method is missing");
        }

        if (methodElement.ValueKind != JsonValueKind.String)
        {
            return Answer(id, JsonRpcErrorCodes.InvalidRequest, "Invalid request: method must be a string");
        }

        JsonElement? parameters = null;
        if (message.TryGetProperty("params"u8, out JsonElement paramsElement))
        {
            if (paramsElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                return Answer(id, JsonRpcErrorCodes.InvalidRequest, "Invalid request: params must be an object or an array");
            }

            parameters = paramsElement;
        }

        if (!JsonStrings.TryRead(methodElement, out string method))
        {
            return Answer(id, JsonRpcErrorCodes.InvalidRequest, "Invalid request: method is not valid text (invalid UTF-8 or a lone surrogate)");
        }

        if (!hasId)
        {
            await StartNotificationAsync(method, parameters);
            return null;
        }

        return await StartRequestAsync(id, method, parameters);
    }

    private async ValueTask<Task<ReadOnlyMemory<byte>>> StartRequestAsync(JsonRpcId id, string method, JsonElement? parameters)
    {
        if (this.options.Gate?.Admit(method, MessageKind.Request) is { } refusal)
        {
            return Task.FromResult(MessageWriter.Error(id, refusal));
        }

        if (!this.handlers.TryGetValue(method, out IncomingHandler? handler))
        {
            return Answer(id, JsonRpcErrorCodes.MethodNotFound, $"Method not found: {method}");
        }

        CancellationTokenSource cancellation = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
        if (!this.inFlight.TryAdd(id, cancellation))
        {
            cancellation.Dispose();
            return Answer(id, JsonRpcErrorCodes.InvalidRequest, $"Invalid request: id {id} is already in use by a running request");
        }

        await TakeSlotAsync();
        return RunRequestAsync(id, handler, parameters, cancellation);
    }

    private async Task<ReadOnlyMemory<byte>> RunRequestAsync(JsonRpcId id, IncomingHandler handler, JsonElement? parameters, CancellationTokenSource cancellation)
    {
        try
        {
            return await handler.InvokeRequestAsync(id, parameters, cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return MessageWriter.Error(id, JsonRpcErrorCodes.RequestCancelled, "Request cancelled");
        }
        catch (Exception ex)
        {
            return MessageWriter.Error(id, ErrorFor(handler.Type.Method, ex));
        }
        finally
        {
            this.inFlight.TryRemove(id, out _);
            cancellation.Dispose();
            slots.Release();
        }
    }

    private async ValueTask StartNotificationAsync(string method, JsonElement? parameters)
    {
        if (method == CancelRequestMethod)
        {
            CancelIncoming(parameters);
            return;
        }

        if (this.options.Gate?.Admit(method, MessageKind.Notification) is { } refusal)
        {
            Log(JsonRpcLogLevel.Warning, $"dropped notification {method}: {refusal.Message}");
            return;
        }

        if (!this.handlers.TryGetValue(method, out IncomingHandler? handler))
        {
            // LSP: notifications nobody handles are ignored ($/ ones silently).
            if (!method.StartsWith("$/", StringComparison.Ordinal))
            {
                Log(JsonRpcLogLevel.Debug, $"ignored notification without handler: {method}");
            }

            return;
        }

        await TakeSlotAsync();
        Track(RunNotificationAsync(handler, parameters));
    }

    private async Task RunNotificationAsync(IncomingHandler handler, JsonElement? parameters)
    {
        try
        {
            await handler.InvokeNotificationAsync(parameters, lifetime.Token);
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // Connection closing.
        }
        catch (Exception ex)
        {
            JsonRpcError error = ErrorFor(handler.Type.Method, ex);
            Log(JsonRpcLogLevel.Error, $"notification {handler.Type.Method} failed: {error.Message}");
        }
        finally
        {
            slots.Release();
        }
    }

    private void CancelIncoming(JsonElement? parameters)
    {
        if (parameters is { ValueKind: JsonValueKind.Object } p
            && p.TryGetProperty("id"u8, out JsonElement idElement)
            && JsonRpcId.TryRead(idElement, out JsonRpcId id)
            && this.inFlight.TryGetValue(id, out CancellationTokenSource? cancellation))
        {
            TryCancel(cancellation);
        }
    }

    private void AcceptResponse(JsonRpcId id, JsonElement message)
    {
        if (!this.outgoing.TryRemove(id, out PendingOutgoingRequest? pending))
        {
            Log(JsonRpcLogLevel.Warning, $"response for unknown request id {id}");
            return;
        }

        if (message.TryGetProperty("error"u8, out JsonElement error) && error.ValueKind == JsonValueKind.Object)
        {
            int code = error.TryGetProperty("code"u8, out JsonElement c) && c.TryGetInt32(out int parsed) ? parsed : JsonRpcErrorCodes.InternalError;
            string text = error.TryGetProperty("message"u8, out JsonElement m) && JsonStrings.TryRead(m, out string said) ? said : "error";
            pending.Fail(new JsonRpcException(code, text));
            return;
        }

        pending.Complete(message.GetProperty("result"u8));
    }

    private JsonRpcError ErrorFor(string method, Exception ex)
    {
        if (ex is JsonRpcException rpc)
        {
            return rpc.ToError();
        }

        if (this.options.ErrorMapper?.Invoke(ex) is { } mapped)
        {
            return mapped;
        }

        Log(JsonRpcLogLevel.Error, $"{method} failed: {ex}");
        return new JsonRpcError(JsonRpcErrorCodes.InternalError, $"Internal error: {ex.Message}");
    }

    private static Task<ReadOnlyMemory<byte>> Answer(JsonRpcId id, int code, string message) =>
        Task.FromResult(MessageWriter.Error(id, code, message));

    private async Task WriteWhenDoneAsync(Task<ReadOnlyMemory<byte>> answer) => await WriteAsync(await answer);

    private async Task WriteBatchWhenDoneAsync(List<Task<ReadOnlyMemory<byte>>> answers)
    {
        ReadOnlyMemory<byte>[] all = await Task.WhenAll(answers);
        await WriteAsync(MessageWriter.Batch(all));
    }

    private async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        bool written = await writer.WriteAsync(message, cancellationToken);
        if (!written && Interlocked.Exchange(ref closedLogged, 1) == 0)
        {
            Log(JsonRpcLogLevel.Warning, "output closed; dropping outgoing messages");
        }

        return written;
    }

    private void Track(Task task)
    {
        this.running.TryAdd(task, 0);
        _ = task.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _),
            this.running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request finished meanwhile.
        }
    }

    /// <summary>
    /// Waits on the read loop for a handler slot. The first wait is logged: requests that stall because nothing more
    /// is read are explained in the log (and tests see the loop hold back instead of guessing how long to watch for
    /// it). Only the first: under sustained load every frame may wait, and a line each would flood the log.
    /// </summary>
    private async ValueTask TakeSlotAsync()
    {
        if (slots.Wait(0))
        {
            return;
        }

        if (!this.slotWaitLogged)
        {
            // The read loop is the only caller: no race on the flag.
            this.slotWaitLogged = true;
            Log(JsonRpcLogLevel.Debug, $"all {this.options.MaxConcurrentHandlers} handler slots are busy: reading waits for one to free (said once per connection)");
        }

        await slots.WaitAsync();
    }

    private void Log(JsonRpcLogLevel level, string message) => this.options.Log?.Invoke(level, message);
}
