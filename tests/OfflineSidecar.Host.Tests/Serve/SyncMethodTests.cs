using System.Text.Json;
using NSubstitute;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Host.Serve.Notifications;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Serve;

public sealed class SyncMethodTests
{
    [Fact]
    public async Task Sync_methods_delegate_to_the_engine()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        JsonElement syncNow = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/syncNow"));
        JsonElement offline = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/setWorkOffline", "{\"enabled\":true}"));
        JsonElement credentials = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/setCredentials", "{\"token\":\"secret\"}"));
        JsonAssert.Result(await sidecar.RequestAsync("offlineSync/setCredentials", "{\"token\":null}"));

        Assert.True(syncNow.GetProperty("started").GetBoolean());
        await sidecar.Engine.Received(1).SyncNowAsync(Arg.Any<CancellationToken>());
        sidecar.Engine.Received(1).SetWorkOffline(true);
        Assert.Equal("offline", offline.GetProperty("connectivity").GetString());
        Assert.Equal("{}", credentials.GetRawText());
        sidecar.Engine.Received(1).SetCredentials("secret");
        // Dropping credentials that claimed the partition leaves it to its account: the session moves to a partition
        // of no credentials, with an engine of its own (same server workspace), rather than telling the old one to forget.
        Assert.Equal(2, sidecar.EngineOptions.Count);
        Assert.Equal(sidecar.EngineOptions[0].ServerWorkspaceId, sidecar.EngineOptions[1].ServerWorkspaceId);
        sidecar.Engine.DidNotReceive().SetCredentials(null);
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/setCredentials", "{}"), JsonRpcErrorCodes.InvalidParams, "token: required");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/setWorkOffline", "{\"enabled\":\"yes\"}"), JsonRpcErrorCodes.InvalidParams, "enabled: invalid value");
    }

    [Fact]
    public async Task A_token_in_initializationOptions_reaches_the_engine_before_its_worker_starts()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync(",\"token\":\"secret\"");

        Received.InOrder(() =>
        {
            sidecar.Engine.SetCredentials("secret");
            sidecar.Engine.StartAsync(Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task No_token_in_initializationOptions_sets_no_credentials()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync(",\"token\":null");

        sidecar.Engine.DidNotReceive().SetCredentials(Arg.Any<string?>());
        await sidecar.Engine.Received(1).StartAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Resolve_conflict_passes_the_merge_payload_and_maps_the_result()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();
        var now = DateTimeOffset.UtcNow;
        sidecar.Engine.ResolveConflictAsync("op-1", ConflictResolution.Merge, "{\"merged\":true}", Arg.Any<CancellationToken>())
            .Returns(new Operation { Id = "op-1", WorkspaceId = "ws", Type = "note.add.v1", IdempotencyKey = "k", PayloadJson = "{\"merged\":true}", CreatedAt = now, UpdatedAt = now });

        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/resolveConflict", "{\"id\":\"op-1\",\"resolution\":\"merge\"}"),
            JsonRpcErrorCodes.InvalidParams, "payload: required for merge");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/resolveConflict", "{\"id\":\"op-1\",\"resolution\":\"keep\"}"),
            JsonRpcErrorCodes.InvalidParams, "resolution: invalid value");
        JsonElement merged = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/resolveConflict",
            "{\"id\":\"op-1\",\"resolution\":\"merge\",\"payload\":{\"merged\":true}}"));
        JsonElement dropped = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/resolveConflict", "{\"id\":\"op-2\",\"resolution\":\"takeServer\"}"));

        Assert.Equal("{\"merged\":true}", merged.GetProperty("operation").GetProperty("payload").GetRawText());
        Assert.Equal(JsonValueKind.Null, dropped.GetProperty("operation").ValueKind);
        await sidecar.Engine.Received(1).ResolveConflictAsync("op-2", ConflictResolution.TakeServer, null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Did_change_configuration_applies_at_once_and_refuses_a_plain_http_server()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync(",\"serverUrl\":\"https://sync.example.com/\"");

        await sidecar.NotifyAsync("workspace/didChangeConfiguration", "{\"settings\":{\"offlineSync\":{\"batchSize\":7,\"syncMode\":\"manual\"}}}");
        await sidecar.Peer.ReadNotificationAsync("window/logMessage");
        await sidecar.NotifyAsync("workspace/didChangeConfiguration", "{\"settings\":{\"offlineSync\":{\"serverUrl\":\"http://sync.example.com\"}}}");
        JsonElement refused = await sidecar.Peer.ReadNotificationAsync("window/logMessage");
        await sidecar.NotifyAsync("workspace/didChangeConfiguration", "{\"settings\":{\"offlineSync\":{\"serverUrl\":null}}}");
        await sidecar.Peer.ReadNotificationAsync("window/logMessage");

        sidecar.Engine.Received(1).UpdateOptions(Arg.Is<SyncOptions>(o =>
            o.BatchSize == 7 && o.Mode == SyncMode.Manual && o.ServerUrl == new Uri("https://sync.example.com/")));
        Assert.Equal(1, refused.GetProperty("params").GetProperty("type").GetInt32());
        Assert.Contains("serverUrl", refused.GetProperty("params").GetProperty("message").GetString(), StringComparison.Ordinal);
        // No server is another partition's key: its engine is built with the settings in force, and the engine of the
        // server left behind is never told of the change (it could otherwise send its queue where it does not belong).
        SyncOptions latest = sidecar.EngineOptions[^1];
        Assert.Equal((7, null), (latest.BatchSize, latest.ServerUrl));
        sidecar.Engine.DidNotReceive().UpdateOptions(Arg.Is<SyncOptions>(o => o.ServerUrl == null));
    }

    [Fact]
    public async Task Engine_events_become_sync_event_and_progress_notifications()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        sidecar.Engine.SyncEventRaised += Raise.Event<EventHandler<SyncEvent>>(sidecar.Engine,
            new SyncEvent(SyncEventKind.FlushCompleted, ["a", "b"], "2 applied", Total: 3, Applied: 2, Failed: 1, Conflicts: 0));
        JsonElement syncEvent = (await sidecar.Peer.ReadNotificationAsync("offlineSync/syncEvent")).GetProperty("params");
        Assert.Equal("flushCompleted", syncEvent.GetProperty("kind").GetString());
        Assert.Equal(2, syncEvent.GetProperty("applied").GetInt32());
        Assert.Equal(1, syncEvent.GetProperty("failed").GetInt32());
        Assert.Equal(0, syncEvent.GetProperty("counts").GetProperty("pending").GetInt64());

        sidecar.Engine.SyncEventRaised += Raise.Event<EventHandler<SyncEvent>>(sidecar.Engine,
            new SyncEvent(SyncEventKind.OperationFailed, ["a"], "rejected"));
        JsonElement failed = (await sidecar.Peer.ReadNotificationAsync("offlineSync/syncEvent")).GetProperty("params");
        Assert.False(failed.TryGetProperty("applied", out _));
        Assert.Equal("a", failed.GetProperty("ids")[0].GetString());

        sidecar.Engine.ProgressReported += Raise.Event<EventHandler<SyncProgress>>(sidecar.Engine, new SyncProgress("f1", SyncProgressKind.Begin, "Syncing 4 operations…", 0, 4));
        sidecar.Engine.ProgressReported += Raise.Event<EventHandler<SyncProgress>>(sidecar.Engine, new SyncProgress("f1", SyncProgressKind.Report, "2 of 4", 2, 4));
        sidecar.Engine.ProgressReported += Raise.Event<EventHandler<SyncProgress>>(sidecar.Engine, new SyncProgress("f1", SyncProgressKind.End, "done", 4, 4));
        JsonElement create = await sidecar.Peer.ReadNotificationAsync("window/workDoneProgress/create");
        string token = create.GetProperty("params").GetProperty("token").GetString()!;
        await sidecar.Peer.SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{create.GetProperty("id").GetRawText()},\"result\":null}}");

        JsonElement begin = (await sidecar.Peer.ReadNotificationAsync("$/progress")).GetProperty("params");
        JsonElement report = (await sidecar.Peer.ReadNotificationAsync("$/progress")).GetProperty("params");
        JsonElement end = (await sidecar.Peer.ReadNotificationAsync("$/progress")).GetProperty("params");
        Assert.Equal(token, begin.GetProperty("token").GetString());
        Assert.Equal("begin", begin.GetProperty("value").GetProperty("kind").GetString());
        Assert.Equal("Syncing", begin.GetProperty("value").GetProperty("title").GetString());
        Assert.False(begin.GetProperty("value").GetProperty("cancellable").GetBoolean());
        Assert.Equal(50, report.GetProperty("value").GetProperty("percentage").GetInt32());
        Assert.Equal("end", end.GetProperty("value").GetProperty("kind").GetString());
        Assert.False(end.GetProperty("value").TryGetProperty("percentage", out _));
    }

    [Fact]
    public async Task Engine_state_changes_become_one_status_notification()
    {
        await using var sidecar = InProcessSidecar.Start(clock: new WatchedClock());
        await sidecar.StartSessionAsync();
        var online = new SyncState(Connectivity.Online, true, DateTimeOffset.UnixEpoch, null, "https://sync.example.com/", false, true);
        sidecar.Engine.State.Returns(online);

        int before = sidecar.Clock!.TimersStarted(ClientNotifier.CoalescingWindow);
        for (int i = 0; i < 5; i++)
        {
            sidecar.Engine.StateChanged += Raise.Event<EventHandler<SyncState>>(sidecar.Engine, online);
        }

        await sidecar.CloseCoalescingWindowAsync(before, 1);
        JsonElement status = (await sidecar.Peer.ReadNotificationAsync("offlineSync/statusChanged")).GetProperty("params");
        Assert.Equal("online", status.GetProperty("connectivity").GetString());
        Assert.True(status.GetProperty("isLeader").GetBoolean());
        Assert.Equal("1970-01-01T00:00:00.000Z", status.GetProperty("lastSyncedAt").GetString());

        // Any other notification the five changes caused was due when the clock moved, and the sends go out one at a
        // time in the order they were due: the notification of a later change comes next only if there was none.
        sidecar.Engine.State.Returns(online with { Connectivity = Connectivity.Offline });
        before = sidecar.Clock.TimersStarted(ClientNotifier.CoalescingWindow);
        sidecar.Engine.StateChanged += Raise.Event<EventHandler<SyncState>>(sidecar.Engine, online);
        await sidecar.CloseCoalescingWindowAsync(before, 1);
        JsonElement next = (await sidecar.Peer.ReadNotificationAsync("offlineSync/statusChanged")).GetProperty("params");
        Assert.Equal("offline", next.GetProperty("connectivity").GetString());
        Assert.DoesNotContain(sidecar.Peer.Skipped, m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "offlineSync/statusChanged");
    }
}
