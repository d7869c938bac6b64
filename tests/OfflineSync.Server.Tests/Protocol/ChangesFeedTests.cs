using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public abstract class ChangesFeedTests(StoreKind store)
{
    private const string Workspace = "ws-changes";

    [SkippableFact]
    public async Task Paging_with_the_cursor_returns_every_applied_command_once_in_order()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var commands = new List<JsonObject>();
        for (var i = 0; i < 24; i++)
        {
            commands.Add(WireCommands.Put($"k{i}", $"doc-{i % 3}", new JsonObject { ["i"] = i }));
        }

        commands.Add(WireCommands.Delete("k-delete", "doc-0"));
        await server.Api.ApplyAsync(Workspace, [.. commands]);

        var pages = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = await server.Api.ReadChangesAsync(Workspace, cursor, limit: 10);
            pages.Add(page);
            cursor = page["cursor"]!.GetValue<string>();
        }
        while (pages[^1]["hasMore"]!.GetValue<bool>());

        Assert.Equal([10, 10, 5], pages.Select(p => p["changes"]!.AsArray().Count));
        var changes = pages.SelectMany(p => p["changes"]!.AsArray()).Select(c => c!.AsObject()).ToList();
        Assert.Equal(Enumerable.Range(0, 24), changes.Take(24).Select(c => c["payload"]!["i"]!.GetValue<int>()));
        foreach (var entity in changes.GroupBy(c => c["entityId"]!.GetValue<string>()))
        {
            var versions = entity.Select(c => c["version"]!.GetValue<long>()).ToList();
            Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);
        }

        var delete = changes[^1];
        Assert.Equal("doc-0", delete["entityId"]!.GetValue<string>());
        Assert.Equal("document.delete.v1", delete["type"]!.GetValue<string>());
        Assert.True(delete["deleted"]!.GetValue<bool>());
        Assert.True(delete.ContainsKey("payload"));
        Assert.Null(delete["payload"]);
        Assert.Equal(9, delete["version"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Reading_from_the_last_cursor_returns_only_what_was_applied_since()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }));
        var first = await server.Api.ReadChangesAsync(Workspace);
        var cursor = first["cursor"]!.GetValue<string>();

        var empty = await server.Api.ReadChangesAsync(Workspace, cursor);
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k2", "doc-1", new JsonObject { ["n"] = 2 }),
            WireCommands.Put("k3", "doc-2", new JsonObject { ["n"] = 3 }));
        await server.Api.WriteEntityAsync(Workspace, "doc-3", new JsonObject { ["n"] = 4 });
        var next = await server.Api.ReadChangesAsync(Workspace, cursor);

        Assert.Empty(empty["changes"]!.AsArray());
        Assert.Equal(cursor, empty["cursor"]!.GetValue<string>());
        Assert.False(empty["hasMore"]!.GetValue<bool>());
        Assert.Equal([2, 3, 4], next["changes"]!.AsArray().Select(c => c!["payload"]!["n"]!.GetValue<int>()));
        Assert.Equal([2L, 1L, 1L], next["changes"]!.AsArray().Select(c => c!["version"]!.GetValue<long>()));
    }

    [SkippableFact]
    public async Task Duplicates_conflicts_and_rejections_add_no_change_rows()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject()),
            WireCommands.Put("k1", "doc-1", new JsonObject(), commandId: "again"),
            WireCommands.Put("k2", "doc-1", new JsonObject(), expectedVersion: 5),
            WireCommands.OfType("test.reject.v1", "k3"));
        var feed = await server.Api.ReadChangesAsync(Workspace);

        Assert.Single(feed["changes"]!.AsArray());
    }

    [SkippableTheory]
    [InlineData("since=abc")]
    [InlineData("since=-1")]
    [InlineData("since=2026-01-01T00:00:00Z")]
    [InlineData("since=007")]
    [InlineData("since=+7")]
    [InlineData("since=99999999999999999999")]
    [InlineData("limit=0")]
    [InlineData("limit=many")]
    [InlineData("count=yes")]
    [InlineData("count=1")]
    public async Task Cursors_limits_and_counts_the_server_did_not_issue_are_400(string query)
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        using var response = await server.Client.GetAsync(new Uri($"/sync/changes?workspaceId={Workspace}&{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task Count_adds_the_rows_after_since_of_this_workspace_and_is_absent_otherwise()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var commands = Enumerable.Range(0, 25).Select(i => WireCommands.Put($"k{i}", $"doc-{i % 4}", new JsonObject { ["i"] = i })).ToArray();
        await server.Api.ApplyAsync(Workspace, commands[..12]);
        await server.Api.ApplyAsync("ws-other", WireCommands.Put("o1", "doc-0", new JsonObject()), WireCommands.Put("o2", "doc-1", new JsonObject()));
        await server.Api.ApplyAsync(Workspace, commands[12..]);

        var first = await server.Api.ReadChangesAsync(Workspace, limit: 10, count: true);
        var second = await server.Api.ReadChangesAsync(Workspace, first["cursor"]!.GetValue<string>(), limit: 10, count: true);
        var uncounted = await server.Api.ReadChangesAsync(Workspace, first["cursor"]!.GetValue<string>(), limit: 10);
        var countFalse = await server.Api.ReadChangesAsync(Workspace, limit: 10, count: false);
        var last = await server.Api.ReadChangesAsync(Workspace, second["cursor"]!.GetValue<string>(), limit: 10, count: true);
        var atTheEnd = await server.Api.ReadChangesAsync(Workspace, last["cursor"]!.GetValue<string>(), count: true);

        Assert.Equal(25, first["remaining"]!.GetValue<long>());
        Assert.Equal(15, second["remaining"]!.GetValue<long>());
        Assert.Equal(5, last["remaining"]!.GetValue<long>());
        Assert.Equal(5, last["changes"]!.AsArray().Count);
        Assert.Equal(0, atTheEnd["remaining"]!.GetValue<long>());
        Assert.False(uncounted.ContainsKey("remaining"));
        Assert.False(countFalse.ContainsKey("remaining"));
        Assert.True(JsonNode.DeepEquals(second["changes"], uncounted["changes"]));
    }

    [SkippableFact]
    public async Task Changes_without_a_workspace_are_400()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        using var response = await server.Client.GetAsync(new Uri("/sync/changes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task Limits_above_the_maximum_are_capped_at_1000()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        for (var batch = 0; batch < 3; batch++)
        {
            var commands = Enumerable.Range(0, 400).Select(i => WireCommands.Put($"k{batch}-{i}", $"doc-{i}", new JsonObject())).ToArray();
            await server.Api.ApplyAsync(Workspace, commands);
        }

        var page = await server.Api.ReadChangesAsync(Workspace, limit: 5000);

        Assert.Equal(1000, page["changes"]!.AsArray().Count);
        Assert.True(page["hasMore"]!.GetValue<bool>());
    }
}

public sealed class SqliteChangesFeedTests() : ChangesFeedTests(StoreKind.Sqlite);

public sealed class PostgresChangesFeedTests() : ChangesFeedTests(StoreKind.Postgres);
