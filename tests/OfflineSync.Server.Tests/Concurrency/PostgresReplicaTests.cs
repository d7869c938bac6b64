using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Concurrency;

/// <summary>
/// Several server processes on one PostgreSQL database, as replicas behind a balancer would be: each request may
/// land on any of them, and together they must keep every guarantee one server keeps.
/// </summary>
public sealed class PostgresReplicaTests
{
    private const string Workspace = "ws-replicas";
    private const int Replicas = 3;

    /// <summary>
    /// The late-commit gap: with sequence numbers taken from a plain counter, a transaction that took 10 but commits
    /// after the one that took 11 is invisible to a reader that has read 11, and that reader never sees 10. Many
    /// writers through every replica and one reader paging concurrently, also through every replica: the reader must
    /// see each applied change exactly once, each entity's versions in order, and none missing. A trigger holds some
    /// transactions open after they wrote their change row, so that others commit in the meantime, and a feed that
    /// numbers changes apart from commit order would be read past them (with a plain sequence this test fails).
    /// </summary>
    [SkippableFact]
    public async Task A_reader_paging_while_many_writers_commit_through_several_replicas_sees_every_change_once_in_order()
    {
        const int Writers = 12;
        const int BatchesPerWriter = 20;
        const int CommandsPerBatch = 4;
        await using var database = await TestDatabase.CreateAsync(StoreKind.Postgres);
        var servers = await StartReplicasAsync(database);
        try
        {
            await database.ExecuteAsync("""
                CREATE FUNCTION commit_late() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_sleep(0.02);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER commit_late AFTER INSERT ON changes FOR EACH ROW WHEN (NEW.entity_id LIKE 'late-%')
                EXECUTE FUNCTION commit_late();
                """);
            using var writersDone = new CancellationTokenSource();
            var applied = new List<(string Entity, long Version)>();
            var writers = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (var b = 0; b < BatchesPerWriter; b++)
                {
                    var batch = Enumerable.Range(0, CommandsPerBatch).Select(i => WireCommands.Put(
                        $"w{w}-b{b}-c{i}", EntityOf(w, b, i), new JsonObject { ["w"] = w, ["b"] = b })).ToArray();
                    var results = await servers[(w + b) % Replicas].Api(null).ApplyAsync(Workspace, batch);
                    lock (applied)
                    {
                        applied.AddRange(results.Select((r, i) =>
                        {
                            Assert.Equal("applied", r!["status"]!.GetValue<string>());
                            return (batch[i]["entityId"]!.GetValue<string>(), r["version"]!.GetValue<long>());
                        }));
                    }
                }
            })));
            var seen = new List<(string Entity, long Version)>();
            var reader = Task.Run(async () =>
            {
                string? cursor = null;
                var page = 0;
                var writing = true;
                while (true)
                {
                    // Read once more after the writers finished: that read starts after every commit.
                    var last = !writing;
                    var response = await servers[page++ % Replicas].Api(null).ReadChangesAsync(Workspace, cursor, limit: 50);
                    seen.AddRange(response["changes"]!.AsArray().Select(c => (c!["entityId"]!.GetValue<string>(), c["version"]!.GetValue<long>())));
                    cursor = response["cursor"]!.GetValue<string>();
                    writing = !writersDone.IsCancellationRequested;
                    if (last && !response["hasMore"]!.GetValue<bool>())
                    {
                        return;
                    }
                }
            });

            await writers;
            await writersDone.CancelAsync();
            await reader;

            Assert.Equal(Writers * BatchesPerWriter * CommandsPerBatch, applied.Count);
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Equal(applied.Order(), seen.Order());
            foreach (var entity in seen.GroupBy(change => change.Entity))
            {
                // In feed order, each entity's versions are 1, 2, 3, … (nothing was compacted).
                Assert.Equal(Enumerable.Range(1, entity.Count()).Select(v => (long)v), entity.Select(change => change.Version));
            }
        }
        finally
        {
            await DisposeAllAsync(servers);
        }
    }

    /// <summary>Every fourth batch starts with a late-committing command; writers share some entities, so that their
    /// batches also queue on entity rows, not only on the workspace.</summary>
    private static string EntityOf(int writer, int batch, int command) => command switch
    {
        0 when batch % 4 == 0 => $"late-{writer}",
        _ when command % 2 == 0 => $"shared-{(writer + batch + command) % 5}",
        _ => $"own-{writer}-{command}",
    };

    [SkippableFact]
    public async Task The_same_keys_sent_to_several_replicas_at_once_are_applied_once_and_duplicates_elsewhere()
    {
        const int Rounds = 10;
        const int CommandsPerBatch = 10;
        await using var database = await TestDatabase.CreateAsync(StoreKind.Postgres);
        var servers = await StartReplicasAsync(database);
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var batch = Enumerable.Range(0, CommandsPerBatch)
                    .Select(i => WireCommands.Put($"r{round}-k{i}", $"doc-{i % 5}", new JsonObject { ["round"] = round, ["i"] = i })).ToArray();

                var responses = await Task.WhenAll(servers.Select(server => server.Api(null).ApplyAsync(Workspace, batch)));

                for (var i = 0; i < CommandsPerBatch; i++)
                {
                    var outcomes = responses.Select(results => results[i]!).ToList();
                    Assert.Single(outcomes, o => o["status"]!.GetValue<string>() == "applied");
                    Assert.Equal(Replicas - 1, outcomes.Count(o => o["status"]!.GetValue<string>() == "duplicate"));
                    Assert.Single(outcomes.Select(o => o["version"]!.GetValue<long>()).Distinct());
                }
            }

            var feed = await servers[0].Api(null).ReadChangesAsync(Workspace, limit: 1000);
            Assert.Equal(Rounds * CommandsPerBatch, feed["changes"]!.AsArray().Count);
            for (var e = 0; e < 5; e++)
            {
                var entity = await servers[e % Replicas].Api(null).ReadSyncEntityAsync(Workspace, $"doc-{e}");
                Assert.Equal(Rounds * CommandsPerBatch / 5, entity["version"]!.GetValue<long>());
            }
        }
        finally
        {
            await DisposeAllAsync(servers);
        }
    }

    /// <summary>Started together, so that they also race to migrate the new schema.</summary>
    private static async Task<ServerProcess[]> StartReplicasAsync(TestDatabase database)
    {
        var starts = Enumerable.Range(0, Replicas).Select(_ => ServerProcess.StartAsync(database)).ToArray();
        try
        {
            return await Task.WhenAll(starts);
        }
        catch
        {
            await DisposeAllAsync([.. starts.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result)]);
            throw;
        }
    }

    private static async Task DisposeAllAsync(ServerProcess[] servers)
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
    }
}
