using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public abstract class AuthTests(StoreKind store)
{
    private const string Workspace = "ws-auth";

    [SkippableFact]
    public async Task Commands_without_or_with_a_wrong_token_are_401_and_apply_nothing()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Token = "right" });
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

    [SkippableFact]
    public async Task Changes_feed_needs_the_token_too()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Token = "right" });

        using var missing = await server.Api.GetChangesAsync(Workspace);
        using var right = await new SyncApi(server.Client) { Token = "right" }.GetChangesAsync(Workspace);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [SkippableFact]
    public async Task Without_a_configured_token_no_authorization_is_needed()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var result = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));

        Assert.Equal("applied", result["status"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Rotating_the_token_at_runtime_locks_out_the_old_one_and_keeps_idempotency()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Token = "old" });
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

    [SkippableFact]
    public async Task Setting_requireToken_to_null_turns_authorization_off()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Token = "secret" });

        await server.Api.SetFaultsAsync(new JsonObject { ["requireToken"] = null });
        var result = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));

        Assert.Equal("applied", result["status"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Whoami_names_the_account_of_each_token_and_refuses_the_others()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with
        {
            Token = "t-default",
            Accounts = new Dictionary<string, string> { ["t-alice"] = "alice", ["t-bob"] = "bob" },
        });

        Assert.Equal("default", await AccountOfAsync(server, "t-default"));
        Assert.Equal("alice", await AccountOfAsync(server, "t-alice"));
        Assert.Equal("bob", await AccountOfAsync(server, "t-bob"));
        using var wrong = await new SyncApi(server.Client) { Token = "t-carol" }.GetWhoAmIAsync();
        using var missing = await server.Api.GetWhoAmIAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [SkippableFact]
    public async Task An_open_server_names_everyone_default()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        Assert.Equal("default", await AccountOfAsync(server, token: null));
    }

    [SkippableFact]
    public async Task Whoami_is_gated_like_the_other_sync_requests()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Token = "t" });
        var api = new SyncApi(server.Client) { Token = "t" };

        await server.Api.SetFaultsAsync(new JsonObject { ["forbidden"] = true });
        using var forbidden = await api.GetWhoAmIAsync();
        await server.Api.SetFaultsAsync(new JsonObject { ["forbidden"] = false, ["unavailable"] = true });
        using var unavailable = await api.GetWhoAmIAsync();

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
    }

    [SkippableFact]
    public async Task Idempotency_keys_belong_to_an_account_so_two_accounts_with_the_same_key_both_apply()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with
        {
            Accounts = new Dictionary<string, string> { ["t-alice"] = "alice", ["t-bob"] = "bob" },
        });
        var alice = new SyncApi(server.Client) { Token = "t-alice" };
        var bob = new SyncApi(server.Client) { Token = "t-bob" };

        var first = await alice.ApplyOneAsync(Workspace, WireCommands.Put("same-key", "doc-1", new JsonObject { ["by"] = "alice" }));
        var second = await bob.ApplyOneAsync(Workspace, WireCommands.Put("same-key", "doc-2", new JsonObject { ["by"] = "bob" }));
        var again = await alice.ApplyOneAsync(Workspace, WireCommands.Put("same-key", "doc-1", new JsonObject { ["by"] = "alice" }));

        Assert.Equal("applied", first["status"]!.GetValue<string>());
        Assert.Equal("applied", second["status"]!.GetValue<string>());
        Assert.Equal("duplicate", again["status"]!.GetValue<string>());
    }

    private static async Task<string> AccountOfAsync(RunningSyncServer server, string? token)
    {
        using var response = await new SyncApi(server.Client) { Token = token }.GetWhoAmIAsync();
        return (await SyncApi.ReadJsonAsync(response, HttpStatusCode.OK))["accountId"]!.GetValue<string>();
    }
}

public sealed class SqliteAuthTests() : AuthTests(StoreKind.Sqlite);

public sealed class PostgresAuthTests() : AuthTests(StoreKind.Postgres);
