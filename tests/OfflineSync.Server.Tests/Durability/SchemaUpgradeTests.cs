using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

public sealed class SchemaUpgradeTests
{
    private const string Workspace = "ws-upgrade";

    [Fact]
    public async Task A_version_1_database_keeps_its_data_and_gains_feed_horizons()
    {
        await using var server = await RunningSyncServer.StartAsync();
        var applied = await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }),
            WireCommands.Put("k2", "doc-2", new JsonObject()),
            WireCommands.Delete("k3", "doc-2"));

        // Version 1 was this schema without feed_horizons.
        await server.RestartAsync(whileStopped: () => Execute(server.DatabasePath, "DROP TABLE feed_horizons; PRAGMA user_version = 1;"));
        var feed = await server.Api.ReadChangesAsync(Workspace);
        var resent = await server.Api.ApplyOneAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 }));
        var compaction = await server.Api.CompactAsync(Workspace);

        Assert.Equal(3, applied.Count);
        Assert.Equal(3, feed["changes"]!.AsArray().Count);
        Assert.Equal("duplicate", resent["status"]!.GetValue<string>());
        Assert.Equal(2, compaction["removed"]!.GetValue<long>());
        Assert.Equal(feed["cursor"]!.GetValue<string>(), compaction["horizon"]!.GetValue<string>());
        Assert.Equal((long)SchemaSql.Version, Scalar(server.DatabasePath, "PRAGMA user_version;"));
    }

    private static void Execute(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
