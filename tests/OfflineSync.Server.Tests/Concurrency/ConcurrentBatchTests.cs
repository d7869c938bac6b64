using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Concurrency;

/// <summary>A pipelining client sends several batches at once; the server must apply them as if one after the
/// other (each batch contiguous, in its own order), whichever share a transaction.</summary>
public abstract class ConcurrentBatchTests(StoreKind store)
{
    private const string Workspace = "ws-concurrent";
    private const int Requests = 8;
    private const int PerRequest = 25;

    [SkippableFact]
    public async Task Concurrent_batches_on_one_entity_apply_each_batch_contiguously_without_gaps()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(r => server.Api.ApplyAsync(Workspace,
            [.. Enumerable.Range(0, PerRequest).Select(i => WireCommands.Put($"r{r}-k{i}", "doc-shared", new JsonObject { ["r"] = r, ["i"] = i }))])));

        var allVersions = new List<long>();
        foreach (var results in responses)
        {
            Assert.All(results, r => Assert.Equal("applied", r!["status"]!.GetValue<string>()));
            var versions = results.Select(r => r!["version"]!.GetValue<long>()).ToList();
            // A batch is never interleaved with another: its versions are consecutive.
            Assert.Equal(Enumerable.Range((int)versions[0], PerRequest).Select(v => (long)v), versions);
            allVersions.AddRange(versions);
        }

        Assert.Equal(Enumerable.Range(1, Requests * PerRequest).Select(v => (long)v), allVersions.Order());
        var entity = await server.Api.GetEntityAsync(Workspace, "doc-shared");
        Assert.Equal(Requests * PerRequest, entity!["version"]!.GetValue<long>());
        var changes = await server.Api.ReadChangesAsync(Workspace, limit: 1000);
        Assert.Equal(Enumerable.Range(1, Requests * PerRequest).Select(v => (long)v), changes["changes"]!.AsArray().Select(c => c!["version"]!.GetValue<long>()));
        // The last change is the one the entity holds now.
        Assert.Equal(entity["payload"]!.ToJsonString(), changes["changes"]!.AsArray()[^1]!["payload"]!.ToJsonString());
    }

    [SkippableFact]
    public async Task The_same_keys_sent_concurrently_are_applied_once_and_duplicates_everywhere_else()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var commands = Enumerable.Range(0, PerRequest).Select(i => WireCommands.Put($"k{i}", $"doc-{i % 5}", new JsonObject { ["i"] = i })).ToArray();

        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => server.Api.ApplyAsync(Workspace, commands)));

        for (var i = 0; i < PerRequest; i++)
        {
            var outcomes = responses.Select(results => results[i]!).ToList();
            Assert.Single(outcomes, o => o["status"]!.GetValue<string>() == "applied");
            Assert.Equal(Requests - 1, outcomes.Count(o => o["status"]!.GetValue<string>() == "duplicate"));
            // A duplicate reports the version the original application produced.
            Assert.Single(outcomes.Select(o => o["version"]!.GetValue<long>()).Distinct());
        }

        var stats = await server.Api.GetStatsAsync();
        Assert.Equal(PerRequest, stats["applied"]!.GetValue<long>());
        Assert.Equal((Requests - 1) * PerRequest, stats["duplicates"]!.GetValue<long>());
        Assert.Equal(PerRequest / 5, (await server.Api.GetEntityAsync(Workspace, "doc-0"))!["version"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Concurrent_batches_on_separate_entities_answer_exactly_as_applied_one_by_one()
    {
        await using var concurrent = await RunningSyncServer.StartAsync(store);
        await using var serial = await RunningSyncServer.StartAsync(store);
        var batches = Enumerable.Range(0, Requests).Select(MixedBatch).ToArray();

        var concurrentResults = await Task.WhenAll(batches.Select(batch => concurrent.Api.ApplyAsync(Workspace, batch)));
        var serialResults = new List<JsonArray>();
        foreach (var batch in batches)
        {
            serialResults.Add(await serial.Api.ApplyAsync(Workspace, batch));
        }

        for (var r = 0; r < Requests; r++)
        {
            Assert.Equal(serialResults[r].ToJsonString(), concurrentResults[r].ToJsonString());
            foreach (var entity in new[] { $"a{r}", $"b{r}" })
            {
                var fromConcurrent = await concurrent.Api.GetEntityAsync(Workspace, entity);
                var fromSerial = await serial.Api.GetEntityAsync(Workspace, entity);
                Assert.Equal(fromSerial?.ToJsonString(), fromConcurrent?.ToJsonString());
            }
        }

        Assert.Equal((await serial.Api.GetStatsAsync()).ToJsonString(), (await concurrent.Api.GetStatsAsync()).ToJsonString());
    }

    /// <summary>Every outcome in one batch: applied puts and deletes, a conflict, a rejection, a duplicate key,
    /// and several commands for one entity that must see each other's effects.</summary>
    private static JsonObject[] MixedBatch(int r) =>
    [
        WireCommands.Put($"r{r}-1", $"a{r}", new JsonObject { ["n"] = 1 }),
        WireCommands.Put($"r{r}-2", $"a{r}", new JsonObject { ["n"] = 2 }, expectedVersion: 1),
        WireCommands.Put($"r{r}-3", $"a{r}", new JsonObject { ["n"] = 3 }, expectedVersion: 1),
        WireCommands.Put($"r{r}-1", $"a{r}", new JsonObject { ["n"] = 4 }, commandId: $"again-{r}"),
        WireCommands.Delete($"r{r}-4", $"a{r}", expectedVersion: 2),
        WireCommands.Put($"r{r}-5", $"b{r}", new JsonObject { ["s"] = "x" }, expectedVersion: 0),
        WireCommands.OfType("unknown.v1", $"r{r}-6", $"b{r}"),
        WireCommands.Put($"r{r}-7", $"a{r}", new JsonArray(1, 2, 3)),
    ];
}

public sealed class SqliteConcurrentBatchTests() : ConcurrentBatchTests(StoreKind.Sqlite);

public sealed class PostgresConcurrentBatchTests() : ConcurrentBatchTests(StoreKind.Postgres);
