using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public abstract class WorkspaceIsolationTests(StoreKind store)
{
    [SkippableFact]
    public async Task Entities_idempotency_keys_and_feeds_are_separate_per_workspace()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var inA = await server.Api.ApplyOneAsync("ws-a", WireCommands.Put("same-key", "doc-1", new JsonObject { ["from"] = "a" }));
        var inB = await server.Api.ApplyOneAsync("ws-b", WireCommands.Put("same-key", "doc-1", new JsonObject { ["from"] = "b" }));
        var conflictInB = await server.Api.ApplyOneAsync("ws-b", WireCommands.Put("other", "doc-2", new JsonObject(), expectedVersion: 1));
        await server.Api.ApplyOneAsync("ws-a", WireCommands.Put("k-a2", "doc-2", new JsonObject { ["from"] = "a" }));
        var feedA = await server.Api.ReadChangesAsync("ws-a");
        var feedB = await server.Api.ReadChangesAsync("ws-b");

        Assert.Equal("applied", inA["status"]!.GetValue<string>());
        Assert.Equal("applied", inB["status"]!.GetValue<string>());
        Assert.Equal(1, inB["version"]!.GetValue<long>());
        Assert.Equal("conflict", conflictInB["status"]!.GetValue<string>());
        Assert.Equal(0, conflictInB["server"]!["version"]!.GetValue<long>());
        Assert.Equal("a", (await server.Api.GetEntityAsync("ws-a", "doc-1"))!["payload"]!["from"]!.GetValue<string>());
        Assert.Equal("b", (await server.Api.GetEntityAsync("ws-b", "doc-1"))!["payload"]!["from"]!.GetValue<string>());
        Assert.All(feedA["changes"]!.AsArray(), c => Assert.Equal("a", c!["payload"]!["from"]!.GetValue<string>()));
        Assert.Equal(2, feedA["changes"]!.AsArray().Count);
        Assert.Single(feedB["changes"]!.AsArray());
    }
}

public sealed class SqliteWorkspaceIsolationTests() : WorkspaceIsolationTests(StoreKind.Sqlite);

public sealed class PostgresWorkspaceIsolationTests() : WorkspaceIsolationTests(StoreKind.Postgres);
