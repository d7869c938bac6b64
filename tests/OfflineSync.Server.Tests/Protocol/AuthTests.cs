using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public sealed class AuthTests
{
    private const string Workspace = "ws-auth";

    [Fact]
    public async Task Commands_without_or_with_a_wrong_token_are_401_and_apply_nothing()
    {
        await using var server = await RunningSyncServer.StartAsync(options => options with { Token = "right" });
        var command = WireCommands.Put("k1", "doc-1", new JsonObject());

        using var missing = await server.Api.PostCommandsAsync(Workspace, command);
        using var wrong = await new SyncApi(server.Client) { Token = "wrong" }.PostCommandsAsync(Workspace, command);

        foreach (var response in new[] { missing, wrong })
        {
            var body = await SyncApi.ReadJsonAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("unauthorized", body["code"]!.GetValue<string>());
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        Assert.Null(await server.Api.GetEntityAsync(Workspace, "doc-1"));
        var result = await new SyncApi(server.Client) { Token = "right" }.ApplyOneAsync(Workspace, command);
        Assert.Equal("applied", result["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changes_feed_needs_the_token_too()
    {
        await using var server = await RunningSyncServer.StartAsync(options => options with { Token = "right" });

        using var missing = await server.Api.GetChangesAsync(Workspace);
        using var right = await new SyncApi(server.Client) { Token = "right" }.GetChangesAsync(Workspace);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_token_no_authorization_is_needed()
    {
        await using var server = await RunningSyncServer.StartAsync();

        var result = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));

        Assert.Equal("applied", result["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rotating_the_token_at_runtime_locks_out_the_old_one_and_keeps_idempotency()
    {
        await using var server = await RunningSyncServer.StartAsync(options => options with { Token = "old" });
        var oldClient = new SyncApi(server.Client) { Token = "old" };
        var newClient = new SyncApi(server.Client) { Token = "new" };
        var command = WireCommands.Put("k1", "doc-1", new JsonObject());
        await oldClient.ApplyOneAsync(Workspace, command);

        var faults = await server.Api.SetFaultsAsync(new JsonObject { ["requireToken"] = "new" });
        using var rejectedOld = await oldClient.PostCommandsAsync(Workspace, command);
        var resent = await newClient.ApplyOneAsync(Workspace, command);

        Assert.Equal("new", faults["requireToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, rejectedOld.StatusCode);
        Assert.Equal("duplicate", resent["status"]!.GetValue<string>());
        Assert.Equal(1, resent["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Setting_requireToken_to_null_turns_authorization_off()
    {
        await using var server = await RunningSyncServer.StartAsync(options => options with { Token = "secret" });

        await server.Api.SetFaultsAsync(new JsonObject { ["requireToken"] = null });
        var result = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));

        Assert.Equal("applied", result["status"]!.GetValue<string>());
    }
}
