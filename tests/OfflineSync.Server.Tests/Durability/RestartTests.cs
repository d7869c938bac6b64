using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

public abstract class RestartTests(StoreKind store)
{
    private const string Workspace = "ws-restart";

    [SkippableFact]
    public async Task After_a_restart_on_the_same_data_directory_a_resend_is_a_duplicate()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var command = WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 });
        await server.Api.ApplyOneAsync(Workspace, command);
        var feedBefore = await server.Api.ReadChangesAsync(Workspace);

        await server.RestartAsync();
        var resent = await server.Api.ApplyOneAsync(Workspace, command);
        var next = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k2", "doc-1", new JsonObject { ["n"] = 2 }));
        var feedAfter = await server.Api.ReadChangesAsync(Workspace, feedBefore["cursor"]!.GetValue<string>());

        Assert.Equal("duplicate", resent["status"]!.GetValue<string>());
        Assert.Equal(1, resent["version"]!.GetValue<long>());
        Assert.Equal(2, next["version"]!.GetValue<long>());
        Assert.Equal([2L], feedAfter["changes"]!.AsArray().Select(c => c!["version"]!.GetValue<long>()));
    }

    [SkippableFact]
    public async Task After_a_restart_the_feed_horizon_still_expires_older_cursors()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));
        var beforeTheDelete = (await server.Api.ReadChangesAsync(Workspace))["cursor"]!.GetValue<string>();
        await server.Api.ApplyAsync(Workspace, WireCommands.Delete("k2", "doc-1"), WireCommands.Put("k3", "doc-2", new JsonObject()));
        var horizon = (await server.Api.CompactAsync(Workspace))["horizon"]!.GetValue<string>();

        await server.RestartAsync();
        using var expired = await server.Api.GetChangesAsync(Workspace, beforeTheDelete);
        var fromTheHorizon = await server.Api.ReadChangesAsync(Workspace, horizon);
        var compactedAgain = await server.Api.CompactAsync(Workspace);

        Assert.Equal("cursor_expired", (await SyncApi.ReadJsonAsync(expired, HttpStatusCode.Gone))["code"]!.GetValue<string>());
        Assert.Equal(["doc-2"], fromTheHorizon["changes"]!.AsArray().Select(c => c!["entityId"]!.GetValue<string>()));
        Assert.Equal(horizon, compactedAgain["horizon"]!.GetValue<string>());
    }
}

public sealed class SqliteRestartTests() : RestartTests(StoreKind.Sqlite);

public sealed class PostgresRestartTests() : RestartTests(StoreKind.Postgres);
