using OfflineSync.Server.Hosting;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Tests.Support;

/// <summary>The real server (Kestrel on a free loopback port) in this process, on a store of its own (a temporary
/// SQLite data directory, or a new PostgreSQL schema), with an HttpClient pointed at it.</summary>
internal sealed class RunningSyncServer : IAsyncDisposable
{
    private readonly Func<SyncServerOptions, SyncServerOptions> configure;
    private SyncServerApp app;

    private RunningSyncServer(SyncServerApp app, TestDatabase database, Func<SyncServerOptions, SyncServerOptions> configure)
    {
        this.app = app;
        this.configure = configure;
        Database = database;
        Client = NewClient(app.ListeningUrl);
    }

    public TestDatabase Database { get; }

    /// <summary>The SQLite file (SQLite stores only).</summary>
    public string DatabasePath => Path.Combine(
        Database.DataDirectory ?? throw new InvalidOperationException("not a SQLite store"), SyncDatabase.FileName);

    public HttpClient Client { get; private set; }

    public SyncApi Api => new(Client);

    public static Task<RunningSyncServer> StartAsync(Func<SyncServerOptions, SyncServerOptions>? configure = null) =>
        StartAsync(StoreKind.Sqlite, configure);

    public static async Task<RunningSyncServer> StartAsync(StoreKind store, Func<SyncServerOptions, SyncServerOptions>? configure = null)
    {
        configure ??= options => options;
        var database = await TestDatabase.CreateAsync(store);
        try
        {
            var app = await StartAppAsync(database, configure);
            return new RunningSyncServer(app, database, configure);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server and starts a new one on the same store (and a new port).</summary>
    /// <param name="whileStopped">Runs between the two, e.g. to change the database file.</param>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        Client.Dispose();
        await app.DisposeAsync();
        whileStopped?.Invoke();
        app = await StartAppAsync(Database, configure);
        Client = NewClient(app.ListeningUrl);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.DisposeAsync();
        await Database.DisposeAsync();
    }

    private static async Task<SyncServerApp> StartAppAsync(TestDatabase database, Func<SyncServerOptions, SyncServerOptions> configure)
    {
        var options = configure(database.Apply(new SyncServerOptions { Port = 0, ConsoleLogging = false, Seed = 1234 }));
        var app = SyncServerApp.Build(options);
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static HttpClient NewClient(string url) => new() { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
}
