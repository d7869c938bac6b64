using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Faults;

/// <summary>GET /admin/command-log: which client sent each command batch, when, and how it ended.</summary>
public sealed class CommandLogTests
{
    private const string Workspace = "ws-log";

    [Fact]
    public async Task Lists_each_batch_read_with_its_client_times_and_outcome_and_reset_stats_empties_it()
    {
        await using var server = await RunningSyncServer.StartAsync();
        var before = DateTimeOffset.UtcNow;
        await server.Api.ApplyAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()), WireCommands.Put("k2", "doc-2", new JsonObject()));
        await server.Api.SetFaultsAsync(new JsonObject { ["dropAfterApplyRate"] = 1.0 });
        await Assert.ThrowsAsync<HttpRequestException>(() => server.Api.PostCommandsAsync(Workspace, WireCommands.Put("k3", "doc-3", new JsonObject())));
        await server.Api.SetFaultsAsync(new JsonObject { ["dropAfterApplyRate"] = 0.0, ["failRate"] = 1.0 });
        using var refused = await server.Api.PostCommandsAsync(Workspace, WireCommands.Put("k4", "doc-4", new JsonObject()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        var log = await server.Api.GetCommandLogAsync();
        await server.Api.ResetStatsAsync();
        var afterReset = await server.Api.GetCommandLogAsync();

        var requests = log["requests"]!.AsArray();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("test-client", r!["clientId"]!.GetValue<string>());
            Assert.Equal(Workspace, r["workspaceId"]!.GetValue<string>());
            var received = r["receivedAt"]!.GetValue<DateTimeOffset>();
            Assert.True(received >= before.AddSeconds(-1) && r["endedAt"]!.GetValue<DateTimeOffset>() >= received);
        });
        Assert.Equal(("answered", 2, 2), Summary(requests[0]!));
        Assert.Equal(("dropped", 1, 1), Summary(requests[1]!));
        Assert.Equal(0, log["dropped"]!.GetValue<long>());
        Assert.Empty(afterReset["requests"]!.AsArray());
    }

    private static (string Outcome, int Commands, int Applied) Summary(JsonNode request) =>
        (request["outcome"]!.GetValue<string>(), request["commands"]!.GetValue<int>(), request["applied"]!.GetValue<int>());
}
