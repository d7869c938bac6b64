using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

public abstract class IdempotencyRetentionTests(StoreKind store)
{
    private const string Workspace = "ws-retention";

    [SkippableFact]
    public async Task Keys_older_than_the_retention_are_pruned_and_a_resend_then_applies_again()
    {
        // The server's clock, held still: the key ages by exactly what the test moves it, and the hourly background
        // pruner stays a whole interval away, so what the admin prune reports is what it removed.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var retention = TimeSpan.FromMinutes(1);
        await using var server = await RunningSyncServer.StartAsync(store, options => options with
        {
            IdempotencyRetention = retention,
            PruneInterval = TimeSpan.FromHours(1),
            TimeProvider = clock,
        });
        var command = WireCommands.Put("k1", "doc-1", new JsonObject());
        await server.Api.ApplyOneAsync(Workspace, command);
        clock.Advance(retention + TimeSpan.FromMilliseconds(1));

        var removed = await PruneAsync(server);
        var resent = await server.Api.ApplyOneAsync(Workspace, command);

        Assert.Equal(1, removed);
        Assert.Equal("applied", resent["status"]!.GetValue<string>());
        Assert.Equal(2, resent["version"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Keys_within_the_retention_survive_a_prune()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var command = WireCommands.Put("k1", "doc-1", new JsonObject());
        await server.Api.ApplyOneAsync(Workspace, command);

        var removed = await PruneAsync(server);
        var resent = await server.Api.ApplyOneAsync(Workspace, command);

        Assert.Equal(0, removed);
        Assert.Equal("duplicate", resent["status"]!.GetValue<string>());
    }

    private static async Task<long> PruneAsync(RunningSyncServer server)
    {
        using var response = await server.Client.PostAsync("/admin/prune-idempotency", null);
        return (await SyncApi.ReadJsonAsync(response, HttpStatusCode.OK))["removed"]!.GetValue<long>();
    }
}

public sealed class SqliteIdempotencyRetentionTests() : IdempotencyRetentionTests(StoreKind.Sqlite);

public sealed class PostgresIdempotencyRetentionTests() : IdempotencyRetentionTests(StoreKind.Postgres);
