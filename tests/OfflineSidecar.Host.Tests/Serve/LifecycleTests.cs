using System.Text.Json;
using NSubstitute;
using OfflineSidecar.Host.Serve;
using OfflineSidecar.Host.Serve.Notifications;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Serve;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Requests_before_initialize_get_server_not_initialized()
    {
        await using var sidecar = InProcessSidecar.Start();

        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/getStatus"), JsonRpcErrorCodes.ServerNotInitialized);
        JsonAssert.IsError(await sidecar.RequestAsync("shutdown"), JsonRpcErrorCodes.ServerNotInitialized);
        JsonAssert.Result(await sidecar.RequestAsync("initialize", sidecar.InitializeParams()));
    }

    [Fact]
    public async Task Initialize_answers_capabilities_and_server_info_once()
    {
        await using var sidecar = InProcessSidecar.Start();

        JsonElement result = JsonAssert.Result(await sidecar.RequestAsync("initialize", sidecar.InitializeParams()));

        Assert.Equal(1, result.GetProperty("capabilities").GetProperty("experimental").GetProperty("offlineSync").GetProperty("protocolVersion").GetInt32());
        Assert.Equal("offline-sidecar", result.GetProperty("serverInfo").GetProperty("name").GetString());
        Assert.Equal("0.1.0", result.GetProperty("serverInfo").GetProperty("version").GetString());
        Assert.True(File.Exists(sidecar.Data.File("offline-sidecar.db")));
        JsonAssert.IsError(await sidecar.RequestAsync("initialize", sidecar.InitializeParams()), JsonRpcErrorCodes.InvalidRequest, "only once");
    }

    [Fact]
    public async Task Initialize_without_data_dir_names_the_field_and_can_be_retried()
    {
        await using var sidecar = InProcessSidecar.Start();

        JsonElement refused = await sidecar.RequestAsync("initialize", "{\"processId\":null,\"initializationOptions\":{\"workspaceId\":\"w\"}}");

        JsonAssert.IsError(refused, JsonRpcErrorCodes.InvalidParams, "initializationOptions.dataDir: required");
        JsonAssert.Result(await sidecar.RequestAsync("initialize", sidecar.InitializeParams()));
    }

    [Fact]
    public async Task Command_line_data_dir_and_workspace_win_over_initialization_options()
    {
        using var commandLineDir = new TempDirectory();
        await using var sidecar = InProcessSidecar.Start(new ServeOptions { DataDir = commandLineDir.Path, WorkspaceId = "from-cli" });
        await sidecar.StartSessionAsync();

        JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":1}"));
        JsonElement list = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/listOperations", "{}"));

        Assert.True(File.Exists(commandLineDir.File("offline-sidecar.db")));
        Assert.False(File.Exists(sidecar.Data.File("offline-sidecar.db")));
        Assert.Equal("from-cli", list.GetProperty("items")[0].GetProperty("workspaceId").GetString());
    }

    [Fact]
    public async Task Server_url_must_be_https_unless_loopback()
    {
        await using var sidecar = InProcessSidecar.Start();

        JsonElement refused = await sidecar.RequestAsync("initialize", sidecar.InitializeParams(",\"serverUrl\":\"http://sync.example.com\""));
        JsonAssert.IsError(refused, 1006, "initializationOptions.serverUrl");

        JsonAssert.Result(await sidecar.RequestAsync("initialize", sidecar.InitializeParams(",\"serverUrl\":\"http://127.0.0.1:9/\"")));
        Assert.Equal(new Uri("http://127.0.0.1:9/"), Assert.Single(sidecar.EngineOptions).ServerUrl);
    }

    [Fact]
    public async Task Initialization_settings_reach_the_engine_and_bad_ones_name_the_field()
    {
        await using var sidecar = InProcessSidecar.Start();

        JsonElement refused = await sidecar.RequestAsync("initialize", sidecar.InitializeParams(",\"settings\":{\"batchSize\":0}"));
        JsonAssert.IsError(refused, JsonRpcErrorCodes.InvalidParams, "initializationOptions.settings.batchSize: must be positive");
        JsonElement noneInFlight = await sidecar.RequestAsync("initialize", sidecar.InitializeParams(",\"settings\":{\"batchesInFlight\":0}"));
        JsonAssert.IsError(noneInFlight, JsonRpcErrorCodes.InvalidParams, "initializationOptions.settings.batchesInFlight: must be positive");
        JsonElement badEnum = await sidecar.RequestAsync("initialize", sidecar.InitializeParams(",\"settings\":{\"syncMode\":\"sometimes\"}"));
        JsonAssert.IsError(badEnum, JsonRpcErrorCodes.InvalidParams, "initializationOptions.settings.syncMode: invalid value");

        JsonAssert.Result(await sidecar.RequestAsync("initialize",
            sidecar.InitializeParams(",\"settings\":{\"syncMode\":\"periodic\",\"syncIntervalSeconds\":5,\"batchSize\":7,\"batchesInFlight\":3,\"backoffBaseSeconds\":0.5}")));
        var options = Assert.Single(sidecar.EngineOptions);
        Assert.Equal(Core.Sync.SyncMode.Periodic, options.Mode);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SyncInterval);
        Assert.Equal(7, options.BatchSize);
        Assert.Equal(3, options.MaxBatchesInFlight);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.BackoffBase);
    }

    [Fact]
    public async Task Status_and_queue_notifications_are_sent_once_after_initialized()
    {
        await using var sidecar = InProcessSidecar.Start(clock: new WatchedClock());
        JsonAssert.Result(await sidecar.RequestAsync("initialize", sidecar.InitializeParams()));
        await sidecar.NotifyAsync("initialized");
        await sidecar.CloseCoalescingWindowAsync(0, 2);

        var methods = new List<string>();
        JsonElement status = default;
        for (int i = 0; i < 2; i++)
        {
            JsonElement message = await sidecar.Peer.ReadAsync();
            methods.Add(message.GetProperty("method").GetString()!);
            if (methods[^1] == "offlineSync/statusChanged")
            {
                status = message.GetProperty("params");
            }
        }

        Assert.Equal(["offlineSync/queueChanged", "offlineSync/statusChanged"], methods.Order());
        Assert.Equal("offline", status.GetProperty("connectivity").GetString());
        Assert.Equal(0, status.GetProperty("counts").GetProperty("pending").GetInt64());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("lastSyncedAt").ValueKind);
        await sidecar.Engine.Received(1).StartAsync(Arg.Any<CancellationToken>());

        // Ten windows, one at a time, so that whatever else the start set going on the sidecar's clock has sent its
        // notifications by now (the sends go out in the order they were due): the next two are those of a later
        // change only if the start sent nothing more.
        for (int i = 0; i < 10; i++)
        {
            sidecar.Clock!.Advance(ClientNotifier.CoalescingWindow);
        }

        int before = sidecar.Clock!.TimersStarted(ClientNotifier.CoalescingWindow);
        JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":1}"));
        Assert.Empty(sidecar.Peer.Skipped);
        await sidecar.CloseCoalescingWindowAsync(before, 2);
        var later = new List<JsonElement> { await sidecar.Peer.ReadAsync(), await sidecar.Peer.ReadAsync() };
        Assert.Equal(["offlineSync/queueChanged", "offlineSync/statusChanged"], later.Select(m => m.GetProperty("method").GetString()).Order());
        Assert.All(later, m => Assert.Equal(1, m.GetProperty("params").GetProperty("counts").GetProperty("pending").GetInt64()));
    }

    [Fact]
    public async Task Shutdown_then_exit_returns_0_and_requests_after_shutdown_are_refused()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        JsonElement shutdown = await sidecar.RequestAsync("shutdown");
        Assert.Equal(JsonValueKind.Null, JsonAssert.Result(shutdown).ValueKind);
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/getStatus"), JsonRpcErrorCodes.InvalidRequest, "after shutdown");
        await sidecar.NotifyAsync("exit");

        Assert.Equal(0, await sidecar.Exited.WaitAsync(TestTimeouts.Message));
        await sidecar.Engine.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task Exit_without_shutdown_returns_1()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        await sidecar.NotifyAsync("exit");

        Assert.Equal(1, await sidecar.Exited.WaitAsync(TestTimeouts.Message));
    }

    [Fact]
    public async Task Closing_stdin_stops_the_server_and_releases_the_store()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        sidecar.Peer.CloseInput();

        Assert.Equal(1, await sidecar.Exited.WaitAsync(TestTimeouts.Message));
        await sidecar.Engine.Received(1).DisposeAsync();
    }

    [Fact]
    public async Task A_damaged_database_is_replaced_and_the_user_is_told()
    {
        await using var sidecar = InProcessSidecar.Start();
        await File.WriteAllBytesAsync(sidecar.Data.File("offline-sidecar.db"), Enumerable.Repeat((byte)0x5a, 8192).ToArray());

        JsonAssert.Result(await sidecar.RequestAsync("initialize", sidecar.InitializeParams()));

        JsonElement warning = sidecar.Peer.Skipped.Single(m => m.GetProperty("method").GetString() == "window/logMessage").GetProperty("params");
        Assert.Equal(2, warning.GetProperty("type").GetInt32());
        Assert.Contains("damaged", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Not only in the log: once the client is ready, a message it shows the user, naming where the old file is.
        await sidecar.NotifyAsync("initialized");
        JsonElement shown = (await sidecar.Peer.ReadNotificationAsync("window/showMessage")).GetProperty("params");
        Assert.Equal(2, shown.GetProperty("type").GetInt32());
        string moved = Directory.GetFiles(sidecar.Data.Path, "offline-sidecar.db.corrupt-*").Single();
        Assert.Contains(moved, shown.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Nothing could be read back from bytes that are no database: the message says so rather than a number.
        Assert.Contains("0 unsynced operation(s) recovered", shown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("unknown", shown.GetProperty("message").GetString(), StringComparison.Ordinal);
        JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":1}"));
    }
}
