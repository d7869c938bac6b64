using OfflineSync.Server.Hosting;
using OfflineSync.Server.Storage.Postgres;

namespace OfflineSync.Server.Tests.Hosting;

public sealed class ServerCommandLineTests
{
    [Fact]
    public void All_options_are_parsed()
    {
        var result = ServerCommandLine.Parse([
            "--port", "0", "--data-dir", "/tmp/x", "--token", "t", "--account", "alice=ta=1", "--account", "bob=tb", "--seed", "-3",
            "--max-batch", "50", "--max-body-bytes", "2048", "--retention-hours", "1.5"]);

        var options = Assert.IsType<SyncServerOptions>(result.Options);
        Assert.Equal(0, options.Port);
        Assert.Equal("/tmp/x", options.DataDirectory);
        Assert.Equal("t", options.Token);
        Assert.Equal(new Dictionary<string, string> { ["ta=1"] = "alice", ["tb"] = "bob" }, options.Accounts);
        Assert.Equal(-3, options.Seed);
        Assert.Equal(50, options.MaxBatchCommands);
        Assert.Equal(2048, options.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromMinutes(90), options.IdempotencyRetention);
    }

    [Fact]
    public void Defaults_match_the_protocol_document()
    {
        var options = ServerCommandLine.Parse(["--port", "8080", "--data-dir", "d"]).Options!;

        Assert.Null(options.Token);
        Assert.Empty(options.Accounts);
        Assert.Equal(500, options.MaxBatchCommands);
        Assert.Equal(16 * 1024 * 1024, options.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromDays(7), options.IdempotencyRetention);
    }

    [Theory]
    [InlineData("--data-dir d", "--port is required")]
    [InlineData("--port 1", "--data-dir is required")]
    [InlineData("--port 70000 --data-dir d", "--port")]
    [InlineData("--port 1 --data-dir d --max-batch 0", "--max-batch")]
    [InlineData("--port 1 --data-dir d --urls http://0.0.0.0:1", "unknown option '--urls'")]
    [InlineData("--port", "--port: missing value")]
    [InlineData("--port 1 --data-dir d --account alice", "--account: expected ID=TOKEN")]
    [InlineData("--port 1 --data-dir d --account =t", "--account: expected ID=TOKEN")]
    [InlineData("--port 1 --data-dir d --account alice=", "--account: expected ID=TOKEN")]
    [InlineData("--port 1 --data-dir d --account a=t --account b=t", "two accounts cannot share a token")]
    [InlineData("--port 1 --data-dir d --store postgres://u@h/db", "give one store, not both")]
    [InlineData("--port 1 --store http://u@h/db", "--store: expected postgres://")]
    public void Invalid_command_lines_name_the_problem(string commandLine, string expectedError)
    {
        var result = ServerCommandLine.Parse(commandLine.Split(' '));

        Assert.Null(result.Options);
        Assert.Contains(expectedError, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_names_a_postgres_database_instead_of_a_data_directory()
    {
        var options = ServerCommandLine.Parse(["--port", "1", "--store", "postgres://sync:pw@127.0.0.1:5433/offline?Maximum%20Pool%20Size=5"]).Options!;

        Assert.Equal("postgres://sync:pw@127.0.0.1:5433/offline?Maximum%20Pool%20Size=5", options.PostgresUrl);
        Assert.Null(options.DataDirectory);
    }

    [Fact]
    public void A_store_url_becomes_an_npgsql_connection_string_with_timeouts_and_its_own_parameters()
    {
        Assert.True(PostgresUrl.TryParse("postgresql://sync%40corp:p%3Aw@db.local/offline?Maximum%20Pool%20Size=5", out var builder, out var error), error);

        Assert.Equal("db.local", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Equal("sync@corp", builder.Username);
        Assert.Equal("p:w", builder.Password);
        Assert.Equal("offline", builder.Database);
        Assert.Equal(5, builder.MaxPoolSize);
        Assert.Contains("statement_timeout=", builder.Options, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_is_recognized()
    {
        Assert.True(ServerCommandLine.Parse(["--help"]).ShowHelp);
    }
}
