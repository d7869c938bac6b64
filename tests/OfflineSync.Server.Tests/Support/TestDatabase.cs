using Npgsql;
using OfflineSync.Server.Hosting;
using OfflineSync.Server.Storage.Postgres;

namespace OfflineSync.Server.Tests.Support;

/// <summary>
/// A store of its own for one test: a temporary data directory (SQLite), or a new schema in the test PostgreSQL
/// database, reached through the URL's search path (the server creates its tables there). Disposing removes it.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly TempDirectory? directory;
    private readonly string? schema;

    private TestDatabase(TempDirectory? directory, string? schema, string? url)
    {
        this.directory = directory;
        this.schema = schema;
        StoreUrl = url;
    }

    public StoreKind Kind => schema is null ? StoreKind.Sqlite : StoreKind.Postgres;

    /// <summary>The SQLite data directory; null on PostgreSQL.</summary>
    public string? DataDirectory => directory?.Path;

    /// <summary>The server's --store URL (with this test's schema as its search path); null on SQLite.</summary>
    public string? StoreUrl { get; }

    /// <summary>The command-line arguments that put a server process on this store.</summary>
    public string[] StoreArguments => StoreUrl is { } url ? ["--store", url] : ["--data-dir", DataDirectory!];

    public static async Task<TestDatabase> CreateAsync(StoreKind kind)
    {
        if (kind == StoreKind.Sqlite)
        {
            return new TestDatabase(new TempDirectory(), null, null);
        }

        var baseUrl = PostgresTestServer.Url;
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(baseUrl, $"CREATE SCHEMA {schema}");
        var separator = baseUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new TestDatabase(null, schema, $"{baseUrl}{separator}Search%20Path={schema}");
    }

    public SyncServerOptions Apply(SyncServerOptions options) =>
        options with { DataDirectory = DataDirectory, PostgresUrl = StoreUrl };

    /// <summary>Runs SQL in this test's schema (PostgreSQL only), e.g. to inject a storage failure.</summary>
    public Task ExecuteAsync(string sql) =>
        ExecuteAsync(StoreUrl ?? throw new InvalidOperationException("not a PostgreSQL test database"), sql);

    public async ValueTask DisposeAsync()
    {
        directory?.Dispose();
        if (schema is not null)
        {
            await ExecuteAsync(PostgresTestServer.Url, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    private static async Task ExecuteAsync(string url, string sql)
    {
        if (!PostgresUrl.TryParse(url, out var connectionString, out var error))
        {
            throw new InvalidOperationException($"{PostgresTestServer.UrlVariable}: {error}");
        }

        // No pooling: a test's connections close with it, so dropping its schema never waits on an idle one.
        connectionString.Pooling = false;
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
