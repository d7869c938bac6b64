using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public abstract class RequestValidationTests(StoreKind store)
{
    private const string Workspace = "ws-validation";

    [SkippableFact]
    public async Task More_commands_than_the_configured_maximum_is_413_and_applies_nothing()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { MaxBatchCommands = 5 });
        var six = Enumerable.Range(0, 6).Select(i => WireCommands.Put($"k{i}", $"doc-{i}", new JsonObject())).ToArray();

        using var tooMany = await server.Api.PostCommandsAsync(Workspace, six);
        var body = await SyncApi.ReadJsonAsync(tooMany, HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("batch_too_large", body["code"]!.GetValue<string>());
        Assert.Null(await server.Api.GetEntityAsync(Workspace, "doc-0"));
        Assert.Equal(5, (await server.Api.ApplyAsync(Workspace, six[..5])).Count);
    }

    [SkippableFact]
    public async Task The_default_maximum_is_500_commands()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var commands = Enumerable.Range(0, 501).Select(i => WireCommands.Put($"k{i}", $"doc-{i}", new JsonObject())).ToArray();

        using var tooMany = await server.Api.PostCommandsAsync(Workspace, commands);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Equal(500, (await server.Api.ApplyAsync(Workspace, commands[..500])).Count);
    }

    [SkippableFact]
    public async Task Body_over_the_size_limit_is_413_whether_or_not_its_length_is_declared()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { MaxBodyBytes = 4096 });
        var big = SyncApi.Batch(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject { ["blob"] = new string('x', 10_000) })).ToJsonString();

        using var declared = await server.Api.PostCommandsRawAsync(big);
        using var chunked = await server.Client.PostAsync("/sync/commands", new UnknownLengthContent(Encoding.UTF8.GetBytes(big)));

        Assert.Equal("body_too_large", (await SyncApi.ReadJsonAsync(declared, HttpStatusCode.RequestEntityTooLarge))["code"]!.GetValue<string>());
        Assert.Equal("body_too_large", (await SyncApi.ReadJsonAsync(chunked, HttpStatusCode.RequestEntityTooLarge))["code"]!.GetValue<string>());
        Assert.Null(await server.Api.GetEntityAsync(Workspace, "doc-1"));
    }

    [SkippableFact]
    public async Task A_body_over_the_limit_still_being_sent_gets_its_413_instead_of_a_reset()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { MaxBodyBytes = 4096 });
        var big = SyncApi.Batch(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject { ["blob"] = new string('x', 200_000) })).ToJsonString();

        using var slow = await server.Client.PostAsync("/sync/commands", new SlowlySentContent(Encoding.UTF8.GetBytes(big), TimeSpan.FromMilliseconds(300)));

        Assert.Equal("body_too_large", (await SyncApi.ReadJsonAsync(slow, HttpStatusCode.RequestEntityTooLarge))["code"]!.GetValue<string>());
        // The connection was kept: the next request on the same client is served.
        Assert.Empty(await server.Api.ApplyAsync(Workspace));
    }

    [SkippableTheory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"clientId":"c","commands":[]}""")]
    [InlineData("""{"workspaceId":"w","commands":[]}""")]
    [InlineData("""{"workspaceId":"w","clientId":"c"}""")]
    [InlineData("""{"workspaceId":"w","clientId":"c","commands":[null]}""")]
    [InlineData("""{"workspaceId":"w","clientId":"c","commands":[{"idempotencyKey":"k","type":"test.reject.v1"}]}""")]
    [InlineData("""{"workspaceId":"w","clientId":"c","commands":[{"commandId":"a","idempotencyKey":"k1","type":"test.reject.v1"},{"commandId":"a","idempotencyKey":"k2","type":"test.reject.v1"}]}""")]
    [InlineData("""{"workspaceId":"w","clientId":"c","commands":[{"commandId":"a","idempotencyKey":"k1","type":"document.put.v1","entityId":"e","payload":{},"expectedVersion":"one"}]}""")]
    public async Task Malformed_batches_are_400_invalid_request(string body)
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        using var response = await server.Api.PostCommandsRawAsync(body);

        Assert.Equal("invalid_request", (await SyncApi.ReadJsonAsync(response, HttpStatusCode.BadRequest))["code"]!.GetValue<string>());
        Assert.Equal(0, (await server.Api.GetStatsAsync())["applied"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task An_empty_batch_is_answered_with_no_results()
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        var results = await server.Api.ApplyAsync(Workspace);

        Assert.Empty(results);
    }
}

public sealed class SqliteRequestValidationTests() : RequestValidationTests(StoreKind.Sqlite);

public sealed class PostgresRequestValidationTests() : RequestValidationTests(StoreKind.Postgres);
