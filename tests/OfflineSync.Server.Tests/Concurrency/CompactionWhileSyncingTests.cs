using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Concurrency;

/// <summary>
/// Compactions racing with writers and a reader: whatever interleaving happens, a client that follows the feed
/// (starting over on 410) must end with exactly the server's live entities. A horizon checked outside the
/// snapshot the page is read from would let a purged delete slip past it and leave a deleted entity behind.
/// </summary>
public abstract class CompactionWhileSyncingTests(StoreKind store)
{
    private const string Workspace = "ws-racing";
    private const int Entities = 8;
    private const int BatchesPerWriter = 60;

    [SkippableFact]
    public async Task A_client_following_the_feed_through_concurrent_compactions_ends_with_the_server_state()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        using var writersDone = new CancellationTokenSource();
        var writers = Task.WhenAll(WriteAsync(server.Api, "w1", seed: 1), WriteAsync(server.Api, "w2", seed: 2));
        var horizons = new List<long>();
        var compactor = Task.Run(async () =>
        {
            while (!writersDone.IsCancellationRequested)
            {
                var horizon = (await server.Api.CompactAsync(Workspace))["horizon"]!.GetValue<string>();
                horizons.Add(horizon.Length == 0 ? 0 : FeedReplica.ParseCursor(horizon));
            }
        });
        var replica = new FeedReplica(server.Api, Workspace);
        var follower = Task.Run(async () =>
        {
            while (!writersDone.IsCancellationRequested)
            {
                await replica.PullAsync(limit: 5, startOverWhenExpired: true);
            }
        });

        try
        {
            await writers;
        }
        finally
        {
            await writersDone.CancelAsync();
        }

        await Task.WhenAll(compactor, follower);
        await server.Api.CompactAsync(Workspace);
        await replica.PullAsync(limit: 5, startOverWhenExpired: true);

        Assert.NotEmpty(horizons);
        Assert.Equal(horizons.Order(), horizons);
        for (var i = 0; i < Entities; i++)
        {
            var entityId = $"doc-{i}";
            var onServer = await server.Api.ReadSyncEntityAsync(Workspace, entityId);
            if (onServer["deleted"]!.GetValue<bool>())
            {
                Assert.False(replica.Live.ContainsKey(entityId), $"{entityId} is deleted on the server but live in the replica");
            }
            else
            {
                Assert.True(JsonNode.DeepEquals(onServer, replica.Live[entityId]), $"{entityId}: server {onServer}, replica {replica.Live[entityId]}");
            }
        }
    }

    /// <summary>Batches of puts and deletes over a few shared entities, so that compactions find both
    /// superseded rows and tombstones to purge.</summary>
    private static async Task WriteAsync(SyncApi api, string writer, int seed)
    {
        var random = new Random(seed);
        for (var batch = 0; batch < BatchesPerWriter; batch++)
        {
            var commands = Enumerable.Range(0, 4).Select(i =>
            {
                var key = $"{writer}-{batch}-{i}";
                var entityId = $"doc-{random.Next(Entities)}";
                return random.Next(3) == 0
                    ? WireCommands.Delete(key, entityId)
                    : WireCommands.Put(key, entityId, new JsonObject { ["by"] = key });
            }).ToArray();
            using var response = await api.PostCommandsAsync(Workspace, commands);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

public sealed class SqliteCompactionWhileSyncingTests() : CompactionWhileSyncingTests(StoreKind.Sqlite);

public sealed class PostgresCompactionWhileSyncingTests() : CompactionWhileSyncingTests(StoreKind.Postgres);
