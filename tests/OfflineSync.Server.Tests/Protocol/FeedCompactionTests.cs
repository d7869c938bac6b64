using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public abstract class FeedCompactionTests(StoreKind store)
{
    private const string Workspace = "ws-compact";

    [SkippableFact]
    public async Task Compaction_removes_superseded_rows_and_a_reader_at_an_old_cursor_still_ends_with_the_latest_state()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("k2", "doc-2", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("k3", "doc-1", new JsonObject { ["n"] = 2 }));
        var behind = new FeedReplica(server.Api, Workspace);
        await behind.PullPageAsync(limit: 2);
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k4", "doc-1", new JsonObject { ["n"] = 3 }),
            WireCommands.Put("k5", "doc-2", new JsonObject { ["n"] = 2 }),
            WireCommands.Put("k6", "doc-3", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("k7", "doc-3", new JsonObject { ["n"] = 2 }));

        var compaction = await server.Api.CompactAsync(Workspace);
        var caughtUp = await behind.PullAsync();
        var fromTheBeginning = await new FeedReplica(server.Api, Workspace).PullAsync();

        Assert.Equal(4, compaction["removed"]!.GetValue<long>());
        Assert.Equal("", compaction["horizon"]!.GetValue<string>());
        Assert.Equal(["doc-1", "doc-2", "doc-3"], caughtUp.Select(r => r["entityId"]!.GetValue<string>()));
        Assert.Equal(["doc-1", "doc-2", "doc-3"], fromTheBeginning.Select(r => r["entityId"]!.GetValue<string>()));
        foreach (var entityId in new[] { "doc-1", "doc-2", "doc-3" })
        {
            var latest = await server.Api.ReadSyncEntityAsync(Workspace, entityId);
            Assert.True(JsonNode.DeepEquals(latest, behind.Live[entityId]), $"{entityId}: {behind.Live[entityId]} vs {latest}");
            Assert.True(JsonNode.DeepEquals(latest, fromTheBeginning.Single(r => r["entityId"]!.GetValue<string>() == entityId)));
        }

        Assert.Equal(3, behind.Live["doc-1"]["payload"]!["n"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task After_a_deleted_entity_is_compacted_cursors_below_the_horizon_are_410_and_the_rest_are_served()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var reader = new FeedReplica(server.Api, Workspace);
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("k2", "doc-2", new JsonObject { ["n"] = 1 }));
        await reader.PullAsync();
        var beforeTheDelete = reader.Cursor!;
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Delete("k3", "doc-1"));
        await reader.PullAsync();
        var atTheDelete = reader.Cursor!;
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k4", "doc-3", new JsonObject { ["n"] = 1 }));
        await reader.PullAsync();
        var afterTheDelete = reader.Cursor!;

        var compaction = await server.Api.CompactAsync(Workspace);
        using var expired = await server.Api.GetChangesAsync(Workspace, beforeTheDelete);
        using var zero = await server.Api.GetChangesAsync(Workspace, "0");
        var fromTheDelete = await server.Api.ReadChangesAsync(Workspace, atTheDelete);
        var fromAfter = await server.Api.ReadChangesAsync(Workspace, afterTheDelete);
        var fromEmpty = await server.Api.ReadChangesAsync(Workspace, "");
        var fromTheBeginning = await new FeedReplica(server.Api, Workspace).PullAsync();

        Assert.Equal(2, compaction["removed"]!.GetValue<long>());
        Assert.Equal(atTheDelete, compaction["horizon"]!.GetValue<string>());
        foreach (var response in new[] { expired, zero })
        {
            var error = await SyncApi.ReadJsonAsync(response, HttpStatusCode.Gone);
            Assert.Equal("cursor_expired", error["code"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
            Assert.Null(response.Headers.RetryAfter);
        }

        Assert.Equal(["doc-3"], fromTheDelete["changes"]!.AsArray().Select(r => r!["entityId"]!.GetValue<string>()));
        Assert.Empty(fromAfter["changes"]!.AsArray());
        Assert.Equal(afterTheDelete, fromAfter["cursor"]!.GetValue<string>());
        Assert.Equal(2, fromEmpty["changes"]!.AsArray().Count);
        Assert.Equal(["doc-2", "doc-3"], fromTheBeginning.Select(r => r["entityId"]!.GetValue<string>()));
        Assert.All(fromTheBeginning, r => Assert.False(r["deleted"]!.GetValue<bool>()));
    }

    [SkippableFact]
    public async Task A_read_from_the_beginning_after_a_compaction_finishes_in_small_pages_through_live_rows_below_the_horizon()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync(Workspace, [.. Enumerable.Range(0, 10).Select(i => WireCommands.Put($"k{i}", $"doc-{i}", new JsonObject { ["i"] = i }))]);
        await server.Api.ApplyAsync(Workspace, WireCommands.Put("k-gone", "doc-gone", new JsonObject()), WireCommands.Delete("k-gone-2", "doc-gone"));
        var horizon = FeedReplica.ParseCursor((await server.Api.CompactAsync(Workspace))["horizon"]!.GetValue<string>());

        var fresh = new FeedReplica(server.Api, Workspace);
        var firstPage = await fresh.PullPageAsync(limit: 3);
        var afterFirstPage = FeedReplica.ParseCursor(fresh.Cursor!);
        var rest = await fresh.PullAsync(limit: 3);

        // The first page ends at doc-2, written before the purged delete; its cursor still lies above the horizon.
        Assert.Equal(["doc-0", "doc-1", "doc-2"], firstPage.Select(r => r["entityId"]!.GetValue<string>()));
        Assert.True(afterFirstPage > horizon, $"cursor {afterFirstPage} issued after the compaction is not above its horizon {horizon}");
        Assert.Equal(7, rest.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"doc-{i}").Order(), fresh.Live.Keys.Order());
    }

    [SkippableFact]
    public async Task A_later_compaction_expires_cursors_issued_after_an_earlier_one_only_below_its_own_horizon()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject()),
            WireCommands.Put("k2", "doc-2", new JsonObject()),
            WireCommands.Put("k3", "doc-gone", new JsonObject()),
            WireCommands.Delete("k4", "doc-gone"));
        await server.Api.CompactAsync(Workspace);
        var behind = new FeedReplica(server.Api, Workspace);
        await behind.PullPageAsync(limit: 1);
        var current = new FeedReplica(server.Api, Workspace);
        await current.PullAsync();
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Delete("k5", "doc-2"));
        await current.PullAsync();

        var second = await server.Api.CompactAsync(Workspace);
        using var expired = await server.Api.GetChangesAsync(Workspace, behind.Cursor);
        var served = await server.Api.ReadChangesAsync(Workspace, current.Cursor);

        Assert.Equal(current.Cursor, second["horizon"]!.GetValue<string>());
        Assert.True(FeedReplica.ParseCursor(behind.Cursor!) < FeedReplica.ParseCursor(second["horizon"]!.GetValue<string>()));
        Assert.Equal("cursor_expired", (await SyncApi.ReadJsonAsync(expired, HttpStatusCode.Gone))["code"]!.GetValue<string>());
        Assert.Empty(served["changes"]!.AsArray());
        Assert.Equal(["doc-1"], current.Live.Keys);
    }

    [SkippableFact]
    public async Task A_cursor_from_a_compaction_epoch_the_workspace_has_not_reached_is_400_invalid_cursor()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync("ws-compacted", WireCommands.Put("k1", "doc-1", new JsonObject()), WireCommands.Delete("k2", "doc-1"),
            WireCommands.Put("k3", "doc-2", new JsonObject()));
        await server.Api.CompactAsync("ws-compacted");
        var cursorOfTheCompactedWorkspace = (await server.Api.ReadChangesAsync("ws-compacted"))["cursor"]!.GetValue<string>();

        using var response = await server.Api.GetChangesAsync(Workspace, cursorOfTheCompactedWorkspace);

        Assert.Equal("invalid_cursor", (await SyncApi.ReadJsonAsync(response, HttpStatusCode.BadRequest))["code"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task The_horizon_never_goes_down_and_moves_up_only_for_purged_tombstones()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject()),
            WireCommands.Delete("k2", "doc-1"));
        var first = await server.Api.CompactAsync(Workspace);
        var horizon = first["horizon"]!.GetValue<string>();

        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k3", "doc-2", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("k4", "doc-2", new JsonObject { ["n"] = 2 }));
        var supersededOnly = await server.Api.CompactAsync(Workspace);
        var nothingLeft = await server.Api.CompactAsync(Workspace);
        var belowHorizon = (FeedReplica.ParseCursor(horizon) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var stillExpired = await server.Api.GetChangesAsync(Workspace, belowHorizon);

        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k5", "doc-3", new JsonObject()),
            WireCommands.Delete("k6", "doc-3"));
        var raised = await server.Api.CompactAsync(Workspace);

        Assert.Equal(2, first["removed"]!.GetValue<long>());
        Assert.Equal(1, supersededOnly["removed"]!.GetValue<long>());
        Assert.Equal(horizon, supersededOnly["horizon"]!.GetValue<string>());
        Assert.Equal(0, nothingLeft["removed"]!.GetValue<long>());
        Assert.Equal(horizon, nothingLeft["horizon"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Gone, stillExpired.StatusCode);
        Assert.Equal(2, raised["removed"]!.GetValue<long>());
        Assert.True(FeedReplica.ParseCursor(raised["horizon"]!.GetValue<string>()) > FeedReplica.ParseCursor(horizon));
    }

    [SkippableFact]
    public async Task Compacting_one_workspace_leaves_another_alone()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        // ws-b's rows come first, so its first cursor is below ws-a's horizon.
        await server.Api.ApplyAsync("ws-b",
            WireCommands.Put("b1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("b2", "doc-1", new JsonObject { ["n"] = 2 }),
            WireCommands.Put("b3", "doc-2", new JsonObject()),
            WireCommands.Delete("b4", "doc-2"));
        await server.Api.ApplyAsync("ws-a",
            WireCommands.Put("a1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("a2", "doc-1", new JsonObject { ["n"] = 2 }),
            WireCommands.Put("a3", "doc-2", new JsonObject()),
            WireCommands.Delete("a4", "doc-2"));
        var bBefore = await server.Api.ReadChangesAsync("ws-b");
        var bFirstRow = await server.Api.ReadChangesAsync("ws-b", limit: 1);

        var compactionOfA = await server.Api.CompactAsync("ws-a");
        var bAfter = await server.Api.ReadChangesAsync("ws-b");
        var bFromItsFirstRow = await server.Api.ReadChangesAsync("ws-b", bFirstRow["cursor"]!.GetValue<string>());
        var aAfter = await server.Api.ReadChangesAsync("ws-a");
        var compactionOfB = await server.Api.CompactAsync("ws-b");

        Assert.Equal(3, compactionOfA["removed"]!.GetValue<long>());
        Assert.True(FeedReplica.ParseCursor(compactionOfA["horizon"]!.GetValue<string>()) > FeedReplica.ParseCursor(bFirstRow["cursor"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(bBefore, bAfter));
        Assert.Equal(3, bFromItsFirstRow["changes"]!.AsArray().Count);
        Assert.Single(aAfter["changes"]!.AsArray());
        Assert.Equal(3, compactionOfB["removed"]!.GetValue<long>());
        // SQLite numbers the changes of all workspaces in one sequence (ws-a's delete is the 8th row); PostgreSQL counts
        // each workspace's own (docs/sync-protocol.md, "Feed order on PostgreSQL"): each delete is its workspace's 4th.
        Assert.Equal(store == StoreKind.Sqlite ? "8" : "4", compactionOfA["horizon"]!.GetValue<string>());
        Assert.Equal("4", compactionOfB["horizon"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Compaction_keeps_entities_so_a_deleted_one_keeps_its_version_and_a_revival_continues_it()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.Delete("k2", "doc-1"));
        var compaction = await server.Api.CompactAsync(Workspace);

        var deleted = await server.Api.ReadSyncEntityAsync(Workspace, "doc-1");
        var asIfNew = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k3", "doc-1", new JsonObject(), expectedVersion: 0));
        var revived = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k4", "doc-1", new JsonObject { ["n"] = 3 }, expectedVersion: 2));
        var fromTheHorizon = await server.Api.ReadChangesAsync(Workspace, compaction["horizon"]!.GetValue<string>());

        Assert.Equal(2, deleted["version"]!.GetValue<long>());
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        Assert.Equal("conflict", asIfNew["status"]!.GetValue<string>());
        Assert.Equal(3, revived["version"]!.GetValue<long>());
        var row = Assert.Single(fromTheHorizon["changes"]!.AsArray())!;
        Assert.Equal(3, row["version"]!.GetValue<long>());
        Assert.Equal(3, row["payload"]!["n"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task Compacting_an_empty_or_unknown_workspace_removes_nothing_and_has_no_horizon()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var compaction = await server.Api.CompactAsync("ws-never-written");

        Assert.Equal(0, compaction["removed"]!.GetValue<long>());
        Assert.Equal("", compaction["horizon"]!.GetValue<string>());
    }

    [SkippableTheory]
    [InlineData("{}")]
    [InlineData("""{"workspaceId":""}""")]
    [InlineData("""{"workspaceId":7}""")]
    [InlineData("null")]
    [InlineData("not json")]
    public async Task A_compaction_request_without_a_workspace_is_400(string body)
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        using var response = await server.Api.PostCompactRawAsync(body);

        Assert.Equal("invalid_request", (await SyncApi.ReadJsonAsync(response, HttpStatusCode.BadRequest))["code"]!.GetValue<string>());
    }
}

public sealed class SqliteFeedCompactionTests() : FeedCompactionTests(StoreKind.Sqlite);

public sealed class PostgresFeedCompactionTests() : FeedCompactionTests(StoreKind.Postgres);
