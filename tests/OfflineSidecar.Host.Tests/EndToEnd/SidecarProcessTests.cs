using System.Diagnostics;
using System.Text.Json;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.EndToEnd;

public sealed class SidecarProcessTests
{
    [Fact]
    public async Task Initialize_enqueue_list_shutdown_exit_ends_with_code_0()
    {
        using var data = new TempDirectory();
        await using var sidecar = SidecarProcess.Start();

        JsonElement init = await sidecar.InitializeAsync(data.Path);
        Assert.Equal("offline-sidecar", JsonAssert.Result(init).GetProperty("serverInfo").GetProperty("name").GetString());
        await sidecar.NotifyAsync("initialized");
        JsonElement ack = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"document.put.v1\",\"payload\":{\"x\":1},\"entityId\":\"d\"}"));
        JsonElement list = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/listOperations", "{}"));
        Assert.Equal(JsonValueKind.Null, JsonAssert.Result(await sidecar.RequestAsync("shutdown", "{}")).ValueKind);
        await sidecar.NotifyAsync("exit");

        Assert.Equal(ack.GetProperty("id").GetString(), list.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(0, await sidecar.WaitForExitAsync());
    }

    [Fact]
    public async Task Parse_error_then_a_valid_request_still_works()
    {
        using var data = new TempDirectory();
        await using var sidecar = SidecarProcess.Start("--data-dir", data.Path, "--workspace", "w");

        await sidecar.SendRawAsync(Frames.Ascii("Content-Length: 3\r\n\r\n{{{"));
        JsonElement parseError = await sidecar.ReadNextResponseAsync();
        JsonElement init = await sidecar.InitializeAsync("/ignored/because/the/command/line/wins");

        JsonAssert.IsError(parseError, JsonRpcErrorCodes.ParseError);
        JsonAssert.HasNullId(parseError);
        JsonAssert.Result(init);
        Assert.True(File.Exists(data.File("offline-sidecar.db")));
    }

    [Fact]
    public async Task A_frame_whose_method_or_id_is_no_text_is_answered_and_the_sidecar_keeps_serving()
    {
        using var data = new TempDirectory();
        await using var sidecar = SidecarProcess.Start("--data-dir", data.Path, "--workspace", "w");

        // Valid JSON escaping lone surrogates, then raw invalid UTF-8: each used to end the process with code 1.
        await sidecar.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"\\ud800\"}");
        JsonElement badMethod = await sidecar.ReadNextResponseAsync();
        await sidecar.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"method\":\"initialize\"}");
        JsonElement badId = await sidecar.ReadNextResponseAsync();
        byte[] body = [.. Frames.Ascii("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\""), 0xFF, 0xFE, .. Frames.Ascii("\"}")];
        await sidecar.SendRawAsync([.. Frames.Ascii($"Content-Length: {body.Length}\r\n\r\n"), .. body]);
        JsonElement badBytes = await sidecar.ReadNextResponseAsync();
        JsonElement init = await sidecar.InitializeAsync("/ignored/because/the/command/line/wins");

        JsonAssert.IsError(badMethod, JsonRpcErrorCodes.InvalidRequest);
        Assert.Equal(7, badMethod.GetProperty("id").GetInt32());
        JsonAssert.IsError(badId, JsonRpcErrorCodes.InvalidRequest);
        JsonAssert.HasNullId(badId);
        Assert.True(badBytes.TryGetProperty("error", out _), badBytes.GetRawText());
        JsonAssert.Result(init);
    }

    [Fact]
    public async Task Exit_without_shutdown_ends_with_code_1()
    {
        using var data = new TempDirectory();
        await using var sidecar = SidecarProcess.Start();
        JsonAssert.Result(await sidecar.InitializeAsync(data.Path));

        await sidecar.NotifyAsync("exit");

        Assert.Equal(1, await sidecar.WaitForExitAsync());
    }

    [Fact]
    public async Task Closing_stdin_ends_the_process()
    {
        using var data = new TempDirectory();
        await using var sidecar = SidecarProcess.Start();
        JsonAssert.Result(await sidecar.InitializeAsync(data.Path));
        await sidecar.NotifyAsync("initialized");

        sidecar.Process.StandardInput.Close();

        Assert.Equal(1, await sidecar.WaitForExitAsync());
    }

    [Fact]
    public async Task Exits_when_the_client_process_dies()
    {
        using var data = new TempDirectory();
        using var client = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        await using var sidecar = SidecarProcess.Start();
        JsonAssert.Result(await sidecar.InitializeAsync(data.Path, processId: client.Id));
        await sidecar.NotifyAsync("initialized");

        var stopwatch = Stopwatch.StartNew();
        client.Kill();
        await client.WaitForExitAsync();

        Assert.Equal(1, await sidecar.WaitForExitAsync());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Contains("client process exited", sidecar.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdout_carries_only_frames()
    {
        using var data = new TempDirectory();
        await using var sidecar = SidecarProcess.Start();
        JsonAssert.Result(await sidecar.InitializeAsync(data.Path));
        await sidecar.NotifyAsync("initialized");
        JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getStatus", "{}"));
        await sidecar.SendRawAsync(Frames.Ascii("Content-Length: x\r\n\r\n"));
        JsonAssert.IsError(await sidecar.ReadNextResponseAsync(), JsonRpcErrorCodes.InvalidRequest);
        JsonAssert.Result(await sidecar.RequestAsync("shutdown", "{}"));
        await sidecar.NotifyAsync("exit");
        Assert.Equal(0, await sidecar.WaitForExitAsync());

        await sidecar.ReadRemainingFramesAsync();
        Assert.Contains("Content-Length is not a number", sidecar.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_acknowledged_enqueue_survives_kill_9_in_order()
    {
        using var data = new TempDirectory();
        const int sent = 400;
        const int ackedBeforeKill = 200;
        var sequenceOfRequest = new Dictionary<long, int>();
        var acked = new HashSet<int>();

        await using (var sidecar = SidecarProcess.Start())
        {
            JsonAssert.Result(await sidecar.InitializeAsync(data.Path));
            await sidecar.NotifyAsync("initialized");
            byte[] burst = Enumerable.Range(0, sent).SelectMany(i =>
            {
                long id = sidecar.NextId();
                sequenceOfRequest[id] = i;
                return Frames.Of($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"offlineSync/enqueue\",\"params\":{{\"type\":\"note.add.v1\",\"payload\":{{\"n\":{i}}},\"entityId\":\"e{i % 7}\",\"idempotencyKey\":\"k{i}\"}}}}");
            }).ToArray();
            Task sending = sidecar.SendRawAsync(burst);

            while (acked.Count < ackedBeforeKill)
            {
                JsonElement message = await sidecar.ReadAsync();
                if (!message.TryGetProperty("method", out _))
                {
                    JsonAssert.Result(message);
                    acked.Add(sequenceOfRequest[message.GetProperty("id").GetInt64()]);
                }
            }

            // kill -9 while later enqueues are still being sent and committed.
            sidecar.Process.Kill();
            await sidecar.Process.WaitForExitAsync();
            await Assert.ThrowsAnyAsync<IOException>(async () => { await sending; await sidecar.SendRawAsync(burst); });
        }

        await using var restarted = SidecarProcess.Start();
        JsonAssert.Result(await restarted.InitializeAsync(data.Path));
        JsonElement page = JsonAssert.Result(await restarted.RequestAsync("offlineSync/listOperations", "{\"limit\":500}"));
        List<int> stored = page.GetProperty("items").EnumerateArray()
            .Select(item => int.Parse(item.GetProperty("idempotencyKey").GetString()![1..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

        Assert.Subset(stored.ToHashSet(), acked);
        // Delivery order is the order the client sent in, acknowledged or not.
        Assert.Equal(stored.Order(), stored);
        Assert.Equal(stored.Count, page.GetProperty("total").GetInt64());
    }
}
