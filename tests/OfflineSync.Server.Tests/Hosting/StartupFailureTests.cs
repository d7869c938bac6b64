using System.Net;
using System.Net.Sockets;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Hosting;

/// <summary>Runs the built executable: a store it cannot use stops it at startup with a message and a non-zero exit.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task Bad_arguments_exit_with_code_2_and_usage_on_stderr()
    {
        var (exitCode, stderr) = await ServerProcess.RunToEndAsync("--port", "0");

        Assert.Equal(2, exitCode);
        Assert.Contains("--data-dir is required", stderr, StringComparison.Ordinal);
        Assert.Contains("usage:", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://sync@127.0.0.1/db")]
    [InlineData("postgres://127.0.0.1/db")]
    [InlineData("postgres://sync@127.0.0.1/")]
    [InlineData("postgres://sync@127.0.0.1/db?No%20Such%20Keyword=1")]
    public async Task A_malformed_store_url_exits_with_code_2(string url)
    {
        var (exitCode, stderr) = await ServerProcess.RunToEndAsync("--port", "0", "--store", url);

        Assert.Equal(2, exitCode);
        Assert.Contains("--store: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_exits_with_code_1_naming_it_without_its_password()
    {
        var port = PortNobodyListensOn();

        var (exitCode, stderr) = await ServerProcess.RunToEndAsync("--port", "0", "--store", $"postgres://sync:hunter2@127.0.0.1:{port}/db");

        Assert.Equal(1, exitCode);
        Assert.Contains($"cannot open the PostgreSQL store postgres://sync:***@127.0.0.1:{port}/db", stderr, StringComparison.Ordinal);
        Assert.Contains("Connection refused", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_database_that_does_not_exist_exits_with_code_1()
    {
        var url = new UriBuilder(PostgresTestServer.Url) { Path = "/no_such_database", Query = "" }.Uri.ToString();

        var (exitCode, stderr) = await ServerProcess.RunToEndAsync("--port", "0", "--store", url);

        Assert.Equal(1, exitCode);
        Assert.Contains("no_such_database", stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_database_migrated_by_a_newer_server_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync(StoreKind.Postgres);
        await using (var server = await ServerProcess.StartAsync(database))
        {
            Assert.Equal(0, await server.TerminateAsync());
        }

        await database.ExecuteAsync("INSERT INTO schema_migrations (version) VALUES (99)");
        var (exitCode, stderr) = await ServerProcess.RunToEndAsync(["--port", "0", .. database.StoreArguments]);

        Assert.Equal(1, exitCode);
        Assert.Contains("schema version 99", stderr, StringComparison.Ordinal);
    }

    /// <summary>A loopback port that was free a moment ago: connecting to it is refused.</summary>
    private static int PortNobodyListensOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
