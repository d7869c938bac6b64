using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

public abstract class BatchAtomicityTests(StoreKind store)
{
    private const string Workspace = "ws-atomic";

    [SkippableFact]
    public async Task A_storage_failure_mid_batch_rolls_back_every_effect_and_idempotency_record_of_the_batch()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        // A trigger fails the write of one command after its entity row was already written, like a disk
        // error would part-way through a batch.
        await PoisonAsync(server, on: true);
        var batch = new[]
        {
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("k2", "poison", new JsonObject()),
            WireCommands.Put("k3", "doc-3", new JsonObject()),
        };

        using var failed = await server.Api.PostCommandsAsync(Workspace, batch);
        var failedBody = await SyncApi.ReadJsonAsync(failed, HttpStatusCode.ServiceUnavailable);
        var afterFailure = await server.Api.GetEntityAsync(Workspace, "doc-1");
        var poisonAfterFailure = await server.Api.GetEntityAsync(Workspace, "poison");
        await PoisonAsync(server, on: false);
        var resent = await server.Api.ApplyAsync(Workspace, batch);

        Assert.Equal("storage_unavailable", failedBody["code"]!.GetValue<string>());
        Assert.NotNull(failed.Headers.RetryAfter);
        Assert.Null(afterFailure);
        Assert.Null(poisonAfterFailure);
        Assert.All(resent, r =>
        {
            Assert.Equal("applied", r!["status"]!.GetValue<string>());
            Assert.Equal(1, r["version"]!.GetValue<long>());
        });
    }

    private static async Task PoisonAsync(RunningSyncServer server, bool on)
    {
        if (server.Database.Kind == StoreKind.Postgres)
        {
            await server.Database.ExecuteAsync(on
                ? """
                  CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN
                      IF NEW.entity_id = 'poison' THEN RAISE EXCEPTION 'injected storage failure'; END IF;
                      RETURN NEW;
                  END $$;
                  CREATE TRIGGER poison BEFORE INSERT ON changes FOR EACH ROW EXECUTE FUNCTION poison();
                  """
                : "DROP TRIGGER poison ON changes;");
            return;
        }

        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = on
            ? """
              CREATE TRIGGER poison BEFORE INSERT ON changes WHEN NEW.entity_id = 'poison'
              BEGIN SELECT RAISE(ABORT, 'injected storage failure'); END;
              """
            : "DROP TRIGGER poison;";
        command.ExecuteNonQuery();
    }
}

public sealed class SqliteBatchAtomicityTests() : BatchAtomicityTests(StoreKind.Sqlite);

public sealed class PostgresBatchAtomicityTests() : BatchAtomicityTests(StoreKind.Postgres);
