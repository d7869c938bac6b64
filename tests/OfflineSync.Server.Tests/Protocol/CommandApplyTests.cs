using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public abstract class CommandApplyTests(StoreKind store)
{
    private const string Workspace = "ws-apply";

    [SkippableFact]
    public async Task Put_creates_version_1_and_every_applied_command_bumps_it_by_one()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var first = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject { ["title"] = "a" }));
        var second = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k2", "doc-1", new JsonObject { ["title"] = "b" }));

        Assert.Equal("cmd-k1", first["commandId"]!.GetValue<string>());
        Assert.Equal("applied", first["status"]!.GetValue<string>());
        Assert.Equal(1, first["version"]!.GetValue<long>());
        Assert.Equal("applied", second["status"]!.GetValue<string>());
        Assert.Equal(2, second["version"]!.GetValue<long>());
        var entity = await server.Api.GetEntityAsync(Workspace, "doc-1");
        Assert.Equal(2, entity!["version"]!.GetValue<long>());
        Assert.Equal("b", entity["payload"]!["title"]!.GetValue<string>());
        Assert.False(entity["deleted"]!.GetValue<bool>());
    }

    [SkippableFact]
    public async Task Delete_marks_the_entity_deleted_and_bumps_its_version()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var results = await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject { ["x"] = 1 }),
            WireCommands.Delete("k2", "doc-1", expectedVersion: 1));

        Assert.Equal("applied", results[1]!["status"]!.GetValue<string>());
        Assert.Equal(2, results[1]!["version"]!.GetValue<long>());
        var entity = await server.Api.GetEntityAsync(Workspace, "doc-1");
        Assert.True(entity!["deleted"]!.GetValue<bool>());
        Assert.Null(entity["payload"]);
        Assert.Equal(2, entity["version"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Resending_an_idempotency_key_returns_the_original_result_and_applies_nothing()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }));
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k2", "doc-1", new JsonObject { ["n"] = 2 }));

        var resent = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }, commandId: "resend-1"));

        Assert.Equal("resend-1", resent["commandId"]!.GetValue<string>());
        Assert.Equal("duplicate", resent["status"]!.GetValue<string>());
        Assert.Equal(1, resent["version"]!.GetValue<long>());
        var entity = await server.Api.GetEntityAsync(Workspace, "doc-1");
        Assert.Equal(2, entity!["version"]!.GetValue<long>());
        Assert.Equal(2, entity["payload"]!["n"]!.GetValue<int>());
        var stats = await server.Api.GetStatsAsync();
        Assert.Equal(2, stats["applied"]!.GetValue<long>());
        Assert.Equal(1, stats["duplicates"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task The_same_key_twice_in_one_batch_is_applied_once()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var results = await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }, commandId: "a"),
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }, commandId: "b"));

        Assert.Equal("applied", results[0]!["status"]!.GetValue<string>());
        Assert.Equal("duplicate", results[1]!["status"]!.GetValue<string>());
        Assert.Equal(1, results[1]!["version"]!.GetValue<long>());
        Assert.Equal(1, (await server.Api.GetEntityAsync(Workspace, "doc-1"))!["version"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Expected_version_that_differs_from_the_current_one_is_a_conflict_with_the_server_state()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.WriteEntityAsync(Workspace, "doc-1", new JsonObject { ["owner"] = "other client" });

        var mustNotExist = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject { ["owner"] = "me" }, expectedVersion: 0));
        var stale = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k2", "doc-1", new JsonObject { ["owner"] = "me" }, expectedVersion: 7));

        foreach (var conflict in new[] { mustNotExist, stale })
        {
            Assert.Equal("conflict", conflict["status"]!.GetValue<string>());
            Assert.Equal(1, conflict["server"]!["version"]!.GetValue<long>());
            Assert.Equal("other client", conflict["server"]!["payload"]!["owner"]!.GetValue<string>());
            Assert.Null(conflict["version"]);
        }

        var entity = await server.Api.GetEntityAsync(Workspace, "doc-1");
        Assert.Equal(1, entity!["version"]!.GetValue<long>());
        Assert.Equal("other client", entity["payload"]!["owner"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Conflict_on_a_missing_entity_reports_version_0_and_a_null_payload()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var conflict = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "nowhere", new JsonObject(), expectedVersion: 3));

        Assert.Equal("conflict", conflict["status"]!.GetValue<string>());
        var serverState = conflict["server"]!.AsObject();
        Assert.Equal(0, serverState["version"]!.GetValue<long>());
        Assert.True(serverState.ContainsKey("payload"));
        Assert.Null(serverState["payload"]);
        Assert.Null(await server.Api.GetEntityAsync(Workspace, "nowhere"));
    }

    [SkippableFact]
    public async Task A_conflict_is_not_remembered_so_the_same_key_applies_once_resolved()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.WriteEntityAsync(Workspace, "doc-1", new JsonObject { ["v"] = "theirs" });

        var conflict = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("mine", "doc-1", new JsonObject { ["v"] = "mine" }, expectedVersion: 0));
        var resolved = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("mine", "doc-1", new JsonObject { ["v"] = "mine" }, expectedVersion: 1));

        Assert.Equal("conflict", conflict["status"]!.GetValue<string>());
        Assert.Equal("applied", resolved["status"]!.GetValue<string>());
        Assert.Equal(2, resolved["version"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Unknown_type_is_rejected_with_unknown_type()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var result = await server.Api.ApplyOneAsync(Workspace, WireCommands.OfType("spreadsheet.merge.v9", "k1", "doc-1", new JsonObject()));

        AssertRejected(result, "unknown_type");
        Assert.Null(await server.Api.GetEntityAsync(Workspace, "doc-1"));
    }

    [SkippableFact]
    public async Task Test_reject_type_is_always_rejected_with_validation_failed_even_without_an_entity()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var result = await server.Api.ApplyOneAsync(Workspace, WireCommands.OfType("test.reject.v1", "k1"));

        AssertRejected(result, "validation_failed");
    }

    [SkippableFact]
    public async Task Built_in_types_without_an_entity_id_are_rejected_with_entity_required()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var results = await server.Api.ApplyAsync(Workspace,
            WireCommands.OfType("document.put.v1", "k1", payload: new JsonObject()),
            WireCommands.OfType("document.delete.v1", "k2"));

        AssertRejected(results[0]!.AsObject(), "entity_required");
        AssertRejected(results[1]!.AsObject(), "entity_required");
    }

    [SkippableFact]
    public async Task Put_without_payload_and_command_without_idempotency_key_are_rejected()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var noKey = WireCommands.Put("k2", "doc-2", new JsonObject());
        noKey.Remove("idempotencyKey");

        var results = await server.Api.ApplyAsync(Workspace, WireCommands.Put("k1", "doc-1", null), noKey);

        AssertRejected(results[0]!.AsObject(), "validation_failed");
        AssertRejected(results[1]!.AsObject(), "validation_failed");
    }

    [SkippableFact]
    public async Task Rejections_do_not_stop_the_rest_of_the_batch_and_results_keep_request_order()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var results = await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.OfType("test.reject.v1", "k2"),
            WireCommands.Put("k3", "doc-1", new JsonObject { ["n"] = 3 }, expectedVersion: 1));

        Assert.Equal(["cmd-k1", "cmd-k2", "cmd-k3"], results.Select(r => r!["commandId"]!.GetValue<string>()));
        Assert.Equal(["applied", "rejected", "applied"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(2, results[2]!["version"]!.GetValue<long>());
    }

    private static void AssertRejected(JsonObject result, string code)
    {
        Assert.Equal("rejected", result["status"]!.GetValue<string>());
        Assert.Equal(code, result["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(result["message"]!.GetValue<string>()));
        Assert.Null(result["version"]);
    }
}

public sealed class SqliteCommandApplyTests() : CommandApplyTests(StoreKind.Sqlite);

public sealed class PostgresCommandApplyTests() : CommandApplyTests(StoreKind.Postgres);
