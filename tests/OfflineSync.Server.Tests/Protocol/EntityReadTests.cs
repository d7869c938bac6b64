using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public abstract class EntityReadTests(StoreKind store)
{
    private const string Workspace = "ws-entity";

    [SkippableFact]
    public async Task A_live_or_deleted_entity_reads_exactly_like_its_latest_feed_row()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        const string Nested = "folder/a b/ü?&=#";
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", Nested, new JsonObject { ["title"] = "first" }),
            WireCommands.Put("k2", Nested, new JsonObject { ["title"] = "second", ["tags"] = new JsonArray("x", 1, null) }),
            WireCommands.Put("k3", "doc-gone", new JsonObject()),
            WireCommands.Delete("k4", "doc-gone"));
        var feed = (await server.Api.ReadChangesAsync(Workspace))["changes"]!.AsArray().Select(r => r!.AsObject()).ToList();

        var live = await server.Api.ReadSyncEntityAsync(Workspace, Nested);
        var deleted = await server.Api.ReadSyncEntityAsync(Workspace, "doc-gone");

        Assert.True(JsonNode.DeepEquals(feed.Last(r => r["entityId"]!.GetValue<string>() == Nested), live), live.ToJsonString());
        Assert.True(JsonNode.DeepEquals(feed.Last(r => r["entityId"]!.GetValue<string>() == "doc-gone"), deleted), deleted.ToJsonString());
        Assert.Equal("document.put.v1", live["type"]!.GetValue<string>());
        Assert.Equal(2, live["version"]!.GetValue<long>());
        Assert.Equal("second", live["payload"]!["title"]!.GetValue<string>());
        Assert.Equal("document.delete.v1", deleted["type"]!.GetValue<string>());
        Assert.True(deleted.ContainsKey("payload"));
        Assert.Null(deleted["payload"]);
        Assert.True(deleted["deleted"]!.GetValue<bool>());
    }

    [SkippableFact]
    public async Task A_deleted_entity_whose_rows_were_compacted_away_still_reads_as_a_delete()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()), WireCommands.Delete("k2", "doc-1"));
        await server.Api.CompactAsync(Workspace);

        var deleted = await server.Api.ReadSyncEntityAsync(Workspace, "doc-1");

        Assert.Empty((await server.Api.ReadChangesAsync(Workspace))["changes"]!.AsArray());
        Assert.Equal(
            """{"entityId":"doc-1","type":"document.delete.v1","version":2,"payload":null,"deleted":true}""",
            deleted.ToJsonString());
    }

    [SkippableFact]
    public async Task An_entity_never_written_in_this_workspace_is_404_not_found()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyOneAsync("ws-elsewhere", WireCommands.Put("k1", "doc-1", new JsonObject()));

        using var elsewhere = await server.Api.GetSyncEntityAsync(Workspace, "doc-1");
        using var nowhere = await server.Api.GetSyncEntityAsync(Workspace, "doc-never");

        foreach (var response in new[] { elsewhere, nowhere })
        {
            Assert.Equal("not_found", (await SyncApi.ReadJsonAsync(response, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        }
    }

    [SkippableTheory]
    [InlineData(null, "doc-1")]
    [InlineData(Workspace, null)]
    [InlineData("", "doc-1")]
    [InlineData(Workspace, "")]
    [InlineData(null, null)]
    public async Task A_missing_parameter_is_400_invalid_request(string? workspaceId, string? entityId)
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        using var response = await server.Api.GetSyncEntityAsync(workspaceId, entityId);

        Assert.Equal("invalid_request", (await SyncApi.ReadJsonAsync(response, HttpStatusCode.BadRequest))["code"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Without_or_with_a_wrong_token_it_is_401_before_anything_else()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Token = "right" });
        await new SyncApi(server.Client) { Token = "right" }.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));

        using var missing = await server.Api.GetSyncEntityAsync(Workspace, "doc-1");
        using var wrong = await new SyncApi(server.Client) { Token = "wrong" }.GetSyncEntityAsync(Workspace, "doc-1");
        using var wrongAndIncomplete = await new SyncApi(server.Client) { Token = "wrong" }.GetSyncEntityAsync(null, null);
        using var right = await new SyncApi(server.Client) { Token = "right" }.GetSyncEntityAsync(Workspace, "doc-1");

        foreach (var response in new[] { missing, wrong, wrongAndIncomplete })
        {
            Assert.Equal("unauthorized", (await SyncApi.ReadJsonAsync(response, HttpStatusCode.Unauthorized))["code"]!.GetValue<string>());
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [SkippableTheory]
    [InlineData("forbidden", HttpStatusCode.Forbidden, "forbidden", false)]
    [InlineData("status429Rate", HttpStatusCode.TooManyRequests, "rate_limited", true)]
    [InlineData("failRate", HttpStatusCode.ServiceUnavailable, "unavailable", true)]
    [InlineData("unavailable", HttpStatusCode.ServiceUnavailable, "unavailable", true)]
    public async Task Whole_request_faults_gate_it_like_the_changes_feed(string fault, HttpStatusCode expected, string code, bool retryAfter)
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));
        JsonNode switchedOn = fault is "forbidden" or "unavailable" ? true : 1.0;
        await server.Api.SetFaultsAsync(new JsonObject { [fault] = switchedOn, ["retryAfterSeconds"] = 3 });

        using var response = await server.Api.GetSyncEntityAsync(Workspace, "doc-1");

        Assert.Equal(code, (await SyncApi.ReadJsonAsync(response, expected))["code"]!.GetValue<string>());
        Assert.Equal(retryAfter ? TimeSpan.FromSeconds(3) : null, response.Headers.RetryAfter?.Delta);
    }

    [SkippableFact]
    public async Task Stats_count_every_entity_request_in_entityRequests_and_requests()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));
        var zeroed = await server.Api.ResetStatsAsync();

        (await server.Api.GetSyncEntityAsync(Workspace, "doc-1")).Dispose();
        (await server.Api.GetSyncEntityAsync(Workspace, "doc-missing")).Dispose();
        (await server.Api.GetSyncEntityAsync(Workspace, null)).Dispose();
        (await server.Api.GetChangesAsync(Workspace)).Dispose();
        var stats = await server.Api.GetStatsAsync();

        Assert.Equal(0, zeroed["entityRequests"]!.GetValue<long>());
        Assert.Equal(3, stats["entityRequests"]!.GetValue<long>());
        Assert.Equal(1, stats["changesRequests"]!.GetValue<long>());
        Assert.Equal(0, stats["commandRequests"]!.GetValue<long>());
        Assert.Equal(4, stats["requests"]!.GetValue<long>());
    }
}

public sealed class SqliteEntityReadTests() : EntityReadTests(StoreKind.Sqlite);

public sealed class PostgresEntityReadTests() : EntityReadTests(StoreKind.Postgres);
