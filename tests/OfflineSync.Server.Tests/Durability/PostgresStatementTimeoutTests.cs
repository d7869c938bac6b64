using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using OfflineSync.Server.Storage.Postgres;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

/// <summary>A batch stuck behind a lock is ended by the statement timeout and answered 503 (retry later), with nothing
/// applied; once the lock is gone the same batch applies.</summary>
public sealed class PostgresStatementTimeoutTests
{
    private const string Workspace = "ws-timeout";

    [SkippableFact]
    public async Task A_batch_waiting_on_a_lock_past_the_statement_timeout_is_answered_503_and_applies_nothing()
    {
        // The URL's own parameters override the server's 30 s default, so the test does not wait that long.
        await using var server = await RunningSyncServer.StartAsync(StoreKind.Postgres,
            options => options with { PostgresUrl = options.PostgresUrl + "&Options=-c%20statement_timeout%3D300" });
        await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k0", "doc-0", new JsonObject()));
        Assert.True(PostgresUrl.TryParse(server.Database.StoreUrl!, out var connectionString, out _));
        connectionString.Pooling = false;
        var batch = WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 });

        HttpStatusCode blockedStatus;
        JsonObject blockedBody;
        await using (var holder = new NpgsqlConnection(connectionString.ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            // What a writer of the workspace takes first: its counter row.
            await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM workspaces WHERE workspace_id = $1 FOR UPDATE", holder, transaction))
            {
                lockRow.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Workspace });
                await lockRow.ExecuteScalarAsync();
            }

            using var blocked = await server.Api.PostCommandsAsync(Workspace, batch);
            blockedStatus = blocked.StatusCode;
            blockedBody = await SyncApi.ReadJsonAsync(blocked, HttpStatusCode.ServiceUnavailable);
            await transaction.RollbackAsync();
        }

        var entityWhileBlocked = await server.Api.GetEntityAsync(Workspace, "doc-1");
        var resent = await server.Api.ApplyOneAsync(Workspace, batch);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, blockedStatus);
        Assert.Equal("storage_unavailable", blockedBody["code"]!.GetValue<string>());
        Assert.Null(entityWhileBlocked);
        Assert.Equal("applied", resent["status"]!.GetValue<string>());
        Assert.Equal(1, resent["version"]!.GetValue<long>());
    }
}
