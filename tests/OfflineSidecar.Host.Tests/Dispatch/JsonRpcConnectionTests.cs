using System.Collections.Concurrent;
using System.Text.Json;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Framing;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Dispatch;

public sealed class JsonRpcConnectionTests : IAsyncLifetime
{
    private readonly PipePeer peer = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> gates = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> starts = new();
    private readonly ConcurrentQueue<string> started = new();
    private readonly ConcurrentQueue<string> notes = new();
    private JsonRpcConnection connection = null!;
    private Task running = Task.CompletedTask;
    private int cancelled;

    public Task InitializeAsync() => StartAsync(new JsonRpcConnectionOptions());

    private Task StartAsync(JsonRpcConnectionOptions options)
    {
        this.connection = new JsonRpcConnection(this.peer.ServerInput, this.peer.ServerOutput, options with
        {
            ErrorMapper = ex => ex is TimeoutException ? new JsonRpcError(4242, "mapped: " + ex.Message) : null,
        });
        this.connection.AddRequestHandler(TestMethods.Echo, (p, _) =>
        {
            this.started.Enqueue(p.Text);
            string text = string.Concat(Enumerable.Repeat(p.Text, p.Repeat ?? 1));
            return Task.FromResult(new EchoResult(p.Options?.Shout == true ? text.ToUpperInvariant() : text));
        });
        this.connection.AddRequestHandler(TestMethods.Wait, async (p, cancellationToken) =>
        {
            this.started.Enqueue(p.Key);
            Started(p.Key).TrySetResult();
            TaskCompletionSource gate = Gate(p.Key);
            try
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }

            return new EchoResult(p.Key);
        });
        this.connection.AddRequestHandler(TestMethods.Fail, (_, _) => Task.FromException<EchoResult>(new TimeoutException("too slow")));
        this.connection.AddNotificationHandler(TestMethods.Note, (p, _) =>
        {
            this.notes.Enqueue(p.Text);
            Started(p.Text).TrySetResult();
            return Task.CompletedTask;
        });
        this.running = this.connection.RunAsync();
        return Task.CompletedTask;
    }

    /// <summary>Completed when a wait handler with this key (or a note with this text) has started.</summary>
    private TaskCompletionSource Started(string key) => starts.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource Gate(string key) => gates.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async Task DisposeAsync()
    {
        this.peer.CloseInput();
        await this.running.WaitAsync(TestTimeouts.Message);
        await this.connection.DisposeAsync();
        await this.peer.DisposeAsync();
    }

    /// <summary>Sends an echo request and returns the id of the next message written: the probe's when nothing came before it.</summary>
    private async Task<long> ProbeAnswerIdAsync(long id)
    {
        await peer.SendAsync(Request(id, "test/echo", "{\"text\":\"probe\"}"));
        return (await peer.ReadAsync()).GetProperty("id").GetInt64();
    }

    private static string Request(long id, string method, string parameters) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{parameters}}}";

    [Fact]
    public async Task Answers_a_request_with_the_handlers_result()
    {
        await this.peer.SendAsync(Request(1, "test/echo", "{\"text\":\"ab\",\"repeat\":2}"));

        JsonElement response = await this.peer.ReadAsync();

        Assert.Equal("2.0", response.GetProperty("jsonrpc").GetString());
        Assert.Equal(1, response.GetProperty("id").GetInt64());
        Assert.Equal("abab", JsonAssert.Result(response).GetProperty("text").GetString());
    }

    [Fact]
    public async Task String_ids_are_echoed_back_as_strings()
    {
        await this.peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"req-7\",\"method\":\"test/echo\",\"params\":{\"text\":\"x\"}}");

        JsonElement response = await this.peer.ReadAsync();

        Assert.Equal("req-7", response.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Body_that_is_not_json_gets_parse_error_with_null_id_and_the_connection_stays_usable()
    {
        await this.peer.SendRawAsync(Frames.Ascii("Content-Length: 9\r\n\r\nnot json!"));
        await this.peer.SendAsync(Request(2, "test/echo", "{\"text\":\"still here\"}"));

        JsonElement parseError = await this.peer.ReadAsync();
        JsonAssert.IsError(parseError, JsonRpcErrorCodes.ParseError);
        JsonAssert.HasNullId(parseError);
        Assert.Equal("still here", JsonAssert.Result(await this.peer.ReadAsync()).GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"\\ud800\"}", 5L)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"\\udfff-x\",\"method\":\"test/echo\"}", null)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"test/\\ud83d\"}", null)]
    public async Task A_method_or_id_escaping_a_lone_surrogate_is_an_invalid_request_and_the_connection_stays_usable(string message, long? id)
    {
        // Well-formed JSON whose string is no text: reading it as a string throws, which used to end the read loop.
        await this.peer.SendAsync(message);
        await this.peer.SendAsync(Request(2, "test/echo", "{\"text\":\"still here\"}"));

        JsonElement refused = await this.peer.ReadAsync();
        JsonAssert.IsError(refused, JsonRpcErrorCodes.InvalidRequest);
        if (id is { } number)
        {
            Assert.Equal(number, refused.GetProperty("id").GetInt64());
        }
        else
        {
            JsonAssert.HasNullId(refused);
        }

        Assert.Equal("still here", JsonAssert.Result(await this.peer.ReadAsync()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Invalid_utf8_in_the_method_gets_an_error_answer_and_the_connection_stays_usable()
    {
        byte[] head = Frames.Ascii("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"test/");
        byte[] tail = Frames.Ascii("\"}");
        byte[] body = [.. head, 0xC3, 0x28, .. tail];
        await this.peer.SendRawAsync([.. Frames.Ascii($"Content-Length: {body.Length}\r\n\r\n"), .. body]);
        await this.peer.SendAsync(Request(2, "test/echo", "{\"text\":\"still here\"}"));

        JsonElement refused = await this.peer.ReadAsync();
        Assert.True(refused.TryGetProperty("error", out JsonElement error), refused.GetRawText());
        Assert.Contains(error.GetProperty("code").GetInt32(), new[] { JsonRpcErrorCodes.ParseError, JsonRpcErrorCodes.InvalidRequest });
        Assert.Equal("still here", JsonAssert.Result(await this.peer.ReadAsync()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Empty_body_is_a_parse_error()
    {
        await this.peer.SendRawAsync(Frames.Ascii("Content-Length: 0\r\n\r\n"));

        JsonAssert.IsError(await this.peer.ReadAsync(), JsonRpcErrorCodes.ParseError);
    }

    [Theory]
    [InlineData("42", "must be a JSON object")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":3}", "method is missing")]
    [InlineData("{\"id\":3,\"method\":\"test/echo\",\"params\":{\"text\":\"x\"}}", "jsonrpc must be")]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"test/echo\"}", "jsonrpc must be")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":7}", "method must be a string")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"test/echo\",\"params\":\"x\"}", "params must be")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"test/echo\"}", "id must be")]
    public async Task Malformed_request_objects_get_invalid_request(string message, string reason)
    {
        await this.peer.SendAsync(message);

        JsonAssert.IsError(await this.peer.ReadAsync(), JsonRpcErrorCodes.InvalidRequest, reason);
    }

    [Fact]
    public async Task Invalid_request_keeps_the_id_when_it_is_readable()
    {
        await this.peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":3}");

        Assert.Equal(3, (await this.peer.ReadAsync()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Unknown_method_gets_method_not_found()
    {
        await this.peer.SendAsync(Request(4, "test/nope", "{}"));

        JsonAssert.IsError(await this.peer.ReadAsync(), JsonRpcErrorCodes.MethodNotFound, "test/nope");
    }

    [Theory]
    [InlineData("{}", "text: required")]
    [InlineData("{\"text\":null}", "text: must not be null")]
    [InlineData("{\"text\":\"x\",\"repeat\":\"many\"}", "repeat: invalid value")]
    [InlineData("{\"text\":\"x\",\"options\":{}}", "options.shout: required")]
    [InlineData("{\"text\":\"x\",\"options\":{\"shout\":3}}", "options.shout: invalid value")]
    [InlineData("[\"x\"]", "params: must be an object")]
    public async Task Params_that_do_not_bind_get_invalid_params_naming_the_field(string parameters, string message)
    {
        await this.peer.SendAsync(Request(5, "test/echo", parameters));

        JsonElement response = await this.peer.ReadAsync();

        JsonAssert.IsError(response, JsonRpcErrorCodes.InvalidParams);
        Assert.Equal(message, response.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Absent_params_bind_like_an_empty_object()
    {
        await this.peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"test/echo\"}");

        JsonAssert.IsError(await this.peer.ReadAsync(), JsonRpcErrorCodes.InvalidParams, "text: required");
    }

    [Fact]
    public async Task Unmapped_handler_exception_is_an_internal_error_and_mapped_ones_use_the_mapper()
    {
        await this.connection.DisposeAsync();
        var peer = new PipePeer();
        var connection = new JsonRpcConnection(peer.ServerInput, peer.ServerOutput);
        connection.AddRequestHandler(TestMethods.Fail, (_, _) => Task.FromException<EchoResult>(new TimeoutException("too slow")));
        Task running = connection.RunAsync();

        await peer.SendAsync(Request(7, "test/fail", "{}"));
        JsonAssert.IsError(await peer.ReadAsync(), JsonRpcErrorCodes.InternalError, "too slow");

        peer.CloseInput();
        await running.WaitAsync(TestTimeouts.Message);
        await connection.DisposeAsync();
        await peer.DisposeAsync();
    }

    [Fact]
    public async Task Error_mapper_decides_the_code_of_a_handlers_exception()
    {
        await this.peer.SendAsync(Request(9, "test/fail", "{}"));

        JsonAssert.IsError(await this.peer.ReadAsync(), 4242, "mapped: too slow");
    }

    [Fact]
    public async Task Many_frames_arriving_in_one_read_are_each_answered()
    {
        // What a client coalescing its writes sends: 32 requests (and a bad one) back to back in one write.
        byte[] burst = Enumerable.Range(100, 32)
            .SelectMany(id => Frames.Of(Request(id, "test/echo", $"{{\"text\":\"t{id}\"}}")))
            .Concat(Frames.Of(Request(200, "test/echo", "{\"repeat\":2}")))
            .ToArray();
        await this.peer.SendRawAsync(burst);

        for (int id = 100; id < 132; id++)
        {
            JsonElement answer = await this.peer.ReadResponseAsync(id);
            Assert.Equal($"t{id}", JsonAssert.Result(answer).GetProperty("text").GetString());
        }

        JsonElement refused = await this.peer.ReadResponseAsync(200);
        JsonAssert.IsError(refused, JsonRpcErrorCodes.InvalidParams);
        Assert.Contains("text", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_is_answered_with_one_array_in_member_order_without_notifications()
    {
        Gate("slow-first").SetResult();
        await this.peer.SendAsync("[" +
            Request(10, "test/wait", "{\"key\":\"slow-first\"}") + "," +
            "{\"jsonrpc\":\"2.0\",\"method\":\"test/note\",\"params\":{\"text\":\"n\"}}," +
            Request(11, "test/nope", "{}") + "," +
            "7," +
            Request(12, "test/echo", "{\"text\":\"e\"}") + "]");

        JsonElement batch = await this.peer.ReadAsync();

        Assert.Equal(JsonValueKind.Array, batch.ValueKind);
        JsonElement[] answers = batch.EnumerateArray().ToArray();
        Assert.Equal(4, answers.Length);
        Assert.Equal(10, answers[0].GetProperty("id").GetInt64());
        JsonAssert.IsError(answers[1], JsonRpcErrorCodes.MethodNotFound);
        JsonAssert.IsError(answers[2], JsonRpcErrorCodes.InvalidRequest);
        Assert.Equal("e", JsonAssert.Result(answers[3]).GetProperty("text").GetString());
        Assert.Contains("n", this.notes);
    }

    [Fact]
    public async Task Empty_batch_is_a_single_invalid_request()
    {
        await this.peer.SendAsync("[]");

        JsonElement response = await this.peer.ReadAsync();

        Assert.Equal(JsonValueKind.Object, response.ValueKind);
        JsonAssert.IsError(response, JsonRpcErrorCodes.InvalidRequest, "empty batch");
        JsonAssert.HasNullId(response);
    }

    [Fact]
    public async Task Batch_of_notifications_only_gets_no_answer()
    {
        await this.peer.SendAsync("[{\"jsonrpc\":\"2.0\",\"method\":\"test/note\",\"params\":{\"text\":\"a\"}}]");
        await this.peer.SendAsync(Request(13, "test/echo", "{\"text\":\"after\"}"));

        Assert.Equal(13, (await this.peer.ReadAsync()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Cancel_request_cancels_the_handler_and_answers_request_cancelled()
    {
        await this.peer.SendAsync(Request(14, "test/wait", "{\"key\":\"never\"}"));
        await Started("never").Task.WaitAsync(TestTimeouts.Message);

        await this.peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":14}}");

        JsonElement response = await this.peer.ReadAsync();
        Assert.Equal(14, response.GetProperty("id").GetInt64());
        JsonAssert.IsError(response, JsonRpcErrorCodes.RequestCancelled);
        Assert.Equal(1, Volatile.Read(ref cancelled));
    }

    [Fact]
    public async Task Cancel_after_the_request_finished_changes_nothing()
    {
        await this.peer.SendAsync(Request(15, "test/echo", "{\"text\":\"done\"}"));
        Assert.Equal("done", JsonAssert.Result(await this.peer.ReadAsync()).GetProperty("text").GetString());

        await this.peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":15}}");

        // Frames are dispatched in order: an answer to the cancel would be written before the probe's.
        Assert.Equal(16, await ProbeAnswerIdAsync(16));
    }

    [Fact]
    public async Task Requests_run_concurrently_so_a_later_one_can_finish_first()
    {
        await this.peer.SendAsync(Request(16, "test/wait", "{\"key\":\"first\"}"));
        await this.peer.SendAsync(Request(17, "test/echo", "{\"text\":\"second\"}"));

        Assert.Equal(17, (await this.peer.ReadAsync()).GetProperty("id").GetInt64());
        Gate("first").SetResult();
        Assert.Equal(16, (await this.peer.ReadAsync()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Handlers_start_in_arrival_order()
    {
        var frames = Enumerable.Range(0, 200).SelectMany(i => Frames.Of(Request(100 + i, "test/echo", $"{{\"text\":\"m{i}\"}}"))).ToArray();
        await this.peer.SendRawAsync(frames);

        for (int i = 0; i < 200; i++)
        {
            await this.peer.ReadAsync();
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), this.started);
    }

    [Fact]
    public async Task Concurrency_is_bounded_and_the_read_loop_waits_for_a_free_slot()
    {
        await this.connection.DisposeAsync();
        var peer = new PipePeer();
        var started = new ConcurrentQueue<string>();
        var readerHeldBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connection = new JsonRpcConnection(peer.ServerInput, peer.ServerOutput, new JsonRpcConnectionOptions
        {
            MaxConcurrentHandlers = 2,
            Log = (level, message) =>
            {
                if (message.Contains("handler slots are busy", StringComparison.Ordinal))
                {
                    readerHeldBack.TrySetResult();
                }
            },
        });
        connection.AddRequestHandler(TestMethods.Wait, async (p, cancellationToken) =>
        {
            started.Enqueue(p.Key);
            Started(p.Key).TrySetResult();
            await Gate(p.Key).Task.WaitAsync(cancellationToken);
            return new EchoResult(p.Key);
        });
        Task running = connection.RunAsync();

        await peer.SendAsync(Request(1, "test/wait", "{\"key\":\"a\"}"));
        await peer.SendAsync(Request(2, "test/wait", "{\"key\":\"b\"}"));
        await peer.SendAsync(Request(3, "test/wait", "{\"key\":\"c\"}"));
        // The loop says when it holds the third request back; a handler it had started would have started before.
        await readerHeldBack.Task.WaitAsync(TestTimeouts.Message);
        Assert.Equal(["a", "b"], started);

        Gate("a").SetResult();
        Assert.Equal(1, (await peer.ReadAsync()).GetProperty("id").GetInt64());
        await Started("c").Task.WaitAsync(TestTimeouts.Message);
        Gate("b").SetResult();
        Gate("c").SetResult();
        await peer.ReadAsync();
        await peer.ReadAsync();

        peer.CloseInput();
        await running.WaitAsync(TestTimeouts.Message);
        await connection.DisposeAsync();
        await peer.DisposeAsync();
    }

    [Fact]
    public async Task Notifications_run_and_unknown_ones_are_ignored()
    {
        await this.peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"test/unknown\",\"params\":{}}");
        await this.peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"$/setTrace\",\"params\":{}}");
        await this.peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"test/note\",\"params\":{\"text\":\"hello\"}}");

        await Started("hello").Task.WaitAsync(TestTimeouts.Message);
        // Frames are dispatched in order: an answer to any of the notifications would be written before the probe's.
        Assert.Equal(17, await ProbeAnswerIdAsync(17));
    }

    [Fact]
    public async Task Oversize_frame_gets_invalid_request_with_null_id_and_the_next_request_works()
    {
        await this.connection.DisposeAsync();
        var peer = new PipePeer();
        var connection = new JsonRpcConnection(peer.ServerInput, peer.ServerOutput);
        connection.AddRequestHandler(TestMethods.Echo, (p, _) => Task.FromResult(new EchoResult(p.Text)));
        Task running = connection.RunAsync();

        int size = FrameReaderOptions.DefaultMaxFrameBytes + 1;
        Task sending = Task.Run(async () =>
        {
            await peer.SendRawAsync(Frames.Ascii($"Content-Length: {size}\r\n\r\n"));
            byte[] chunk = new byte[1024 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (int sent = 0; sent < size; sent += chunk.Length)
            {
                await peer.SendRawAsync(chunk.AsSpan(0, Math.Min(chunk.Length, size - sent)).ToArray());
            }

            await peer.SendAsync(Request(1, "test/echo", "{\"text\":\"after\"}"));
        });

        JsonElement refused = await peer.ReadAsync();
        JsonAssert.IsError(refused, JsonRpcErrorCodes.InvalidRequest, "exceeds the limit");
        JsonAssert.HasNullId(refused);
        Assert.Equal("after", JsonAssert.Result(await peer.ReadAsync()).GetProperty("text").GetString());
        await sending;

        peer.CloseInput();
        await running.WaitAsync(TestTimeouts.Message);
        await connection.DisposeAsync();
        await peer.DisposeAsync();
    }

    [Fact]
    public async Task Bad_header_gets_invalid_request_and_the_next_frame_is_served()
    {
        await this.peer.SendRawAsync(Frames.Ascii("Content-Length: -1\r\n\r\n{}"));
        await this.peer.SendAsync(Request(18, "test/echo", "{\"text\":\"ok\"}"));

        JsonElement refused = await this.peer.ReadAsync();
        JsonAssert.IsError(refused, JsonRpcErrorCodes.InvalidRequest, "negative");
        Assert.Equal(18, (await this.peer.ReadAsync()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Server_to_client_request_completes_with_the_clients_result_or_error()
    {
        Task<EchoResult> asking = this.connection.SendRequestAsync(TestMethods.AskClient, new EchoParams { Text = "q" });
        JsonElement request = await this.peer.ReadAsync();
        Assert.Equal("test/askClient", request.GetProperty("method").GetString());
        Assert.Equal("q", request.GetProperty("params").GetProperty("text").GetString());
        long id = request.GetProperty("id").GetInt64();
        await this.peer.SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{{\"text\":\"a\"}}}}");
        Assert.Equal("a", (await asking.WaitAsync(TestTimeouts.Message)).Text);

        Task<EchoResult> refused = this.connection.SendRequestAsync(TestMethods.AskClient, new EchoParams { Text = "q2" });
        long id2 = (await this.peer.ReadAsync()).GetProperty("id").GetInt64();
        await this.peer.SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id2},\"error\":{{\"code\":-32601,\"message\":\"no\"}}}}");
        var error = await Assert.ThrowsAsync<JsonRpcException>(() => refused.WaitAsync(TestTimeouts.Message));
        Assert.Equal(JsonRpcErrorCodes.MethodNotFound, error.Code);
    }

    [Fact]
    public async Task Cancelling_a_server_to_client_request_sends_cancel_request()
    {
        using var cancellation = new CancellationTokenSource();
        Task<EchoResult> asking = this.connection.SendRequestAsync(TestMethods.AskClient, new EchoParams { Text = "q" }, cancellation.Token);
        long id = (await this.peer.ReadAsync()).GetProperty("id").GetInt64();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asking);
        JsonElement cancel = await this.peer.ReadAsync();
        Assert.Equal("$/cancelRequest", cancel.GetProperty("method").GetString());
        Assert.Equal(id, cancel.GetProperty("params").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Notifications_sent_concurrently_arrive_as_whole_frames()
    {
        // Sent while the client reads: the 250 KB would not fit the in-memory pipe's buffer.
        Task sending = Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            this.connection.NotifyAsync(TestMethods.Note, new EchoParams { Text = new string('n', i * 50) }))));

        var lengths = new HashSet<int>();
        for (int i = 0; i < 100; i++)
        {
            lengths.Add((await this.peer.ReadAsync()).GetProperty("params").GetProperty("text").GetString()!.Length);
        }

        await sending;

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 50).ToHashSet(), lengths);
    }

    [Fact]
    public async Task Gate_refusal_answers_requests_and_drops_notifications()
    {
        await this.connection.DisposeAsync();
        var peer = new PipePeer();
        var notes = new ConcurrentQueue<string>();
        var connection = new JsonRpcConnection(peer.ServerInput, peer.ServerOutput, new JsonRpcConnectionOptions { Gate = new RefuseEverything() });
        connection.AddRequestHandler(TestMethods.Echo, (p, _) => Task.FromResult(new EchoResult(p.Text)));
        connection.AddNotificationHandler(TestMethods.Note, (p, _) =>
        {
            notes.Enqueue(p.Text);
            return Task.CompletedTask;
        });
        Task running = connection.RunAsync();

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"test/note\",\"params\":{\"text\":\"x\"}}");
        await peer.SendAsync(Request(1, "test/echo", "{\"text\":\"x\"}"));

        JsonAssert.IsError(await peer.ReadAsync(), -32002, "refused test/echo");
        Assert.Empty(notes);

        peer.CloseInput();
        await running.WaitAsync(TestTimeouts.Message);
        await connection.DisposeAsync();
        await peer.DisposeAsync();
    }

    private sealed class RefuseEverything : IMessageGate
    {
        public JsonRpcError? Admit(string method, MessageKind kind) => new(-32002, $"refused {method}");
    }

}
