using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

public sealed class RestartTests
{
    private const string Workspace = "ws-restart";

    [Fact]
    public async Task After_a_restart_on_the_same_data_directory_a_resend_is_a_duplicate()
    {
        await using var server = await RunningSyncServer.StartAsync();
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
}
