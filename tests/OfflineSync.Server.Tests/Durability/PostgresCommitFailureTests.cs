using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

/// <summary>A batch is one statement committed by the server on its own (no COMMIT of ours): a failure at that
/// commit must still reach the client as a 503 with nothing applied, never as results.</summary>
public sealed class PostgresCommitFailureTests
{
    private const string Workspace = "ws-commit";

    [SkippableFact]
    public async Task A_batch_whose_commit_fails_is_answered_503_and_applies_nothing()
    {
        await using var server = await RunningSyncServer.StartAsync(StoreKind.Postgres);
        // A deferred constraint trigger runs at commit, after every statement of the batch succeeded.
        await server.Database.ExecuteAsync("""
            CREATE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.entity_id = 'poison' THEN RAISE EXCEPTION 'injected commit failure'; END IF;
                RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON changes DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION fail_commit();
            """);
        var batch = new[]
        {
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("k2", "poison", new JsonObject()),
        };

        using var failed = await server.Api.PostCommandsAsync(Workspace, batch);
        var failedBody = await SyncApi.ReadJsonAsync(failed, HttpStatusCode.ServiceUnavailable);
        var afterFailure = await server.Api.GetEntityAsync(Workspace, "doc-1");
        var feedAfterFailure = await server.Api.ReadChangesAsync(Workspace);
        await server.Database.ExecuteAsync("DROP TRIGGER fail_commit ON changes;");
        var resent = await server.Api.ApplyAsync(Workspace, batch);

        Assert.Equal("storage_unavailable", failedBody["code"]!.GetValue<string>());
        Assert.Null(afterFailure);
        Assert.Empty(feedAfterFailure["changes"]!.AsArray());
        Assert.All(resent, r => Assert.Equal("applied", r!["status"]!.GetValue<string>()));
        Assert.Equal([1L], (await server.Api.ReadChangesAsync(Workspace))["changes"]!.AsArray()
            .Where(c => c!["entityId"]!.GetValue<string>() == "doc-1").Select(c => c!["version"]!.GetValue<long>()));
    }
}
