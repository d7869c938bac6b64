using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

/// <summary>Runs the built executable, so these also cover the command line and the "listening on" line.</summary>
public abstract class ProcessCrashTests(StoreKind store)
{
    private const string Workspace = "ws-crash";

    [SkippableFact]
    public async Task A_killed_server_keeps_every_answered_result_so_resends_are_duplicates()
    {
        await using var database = await TestDatabase.CreateAsync(store);
        var commands = Enumerable.Range(0, 50).Select(i => WireCommands.Put($"k{i}", $"doc-{i % 5}", new JsonObject { ["i"] = i })).ToArray();

        await using (var first = await ServerProcess.StartAsync(database, "--token", "t"))
        {
            var results = await first.Api("t").ApplyAsync(Workspace, commands);
            Assert.All(results, r => Assert.Equal("applied", r!["status"]!.GetValue<string>()));
            first.Kill();
        }

        await using var second = await ServerProcess.StartAsync(database, "--token", "t");
        var resent = await second.Api("t").ApplyAsync(Workspace, commands);

        Assert.All(resent, r => Assert.Equal("duplicate", r!["status"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)(i / 5) + 1), resent.Select(r => r!["version"]!.GetValue<long>()));
    }

    [SkippableFact]
    public async Task SIGTERM_stops_the_server_gracefully()
    {
        await using var database = await TestDatabase.CreateAsync(store);
        await using var server = await ServerProcess.StartAsync(database);
        await server.Api(null).ApplyAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));

        var exitCode = await server.TerminateAsync();

        Assert.Equal(0, exitCode);
    }
}

public sealed class SqliteProcessCrashTests() : ProcessCrashTests(StoreKind.Sqlite);

public sealed class PostgresProcessCrashTests() : ProcessCrashTests(StoreKind.Postgres);
