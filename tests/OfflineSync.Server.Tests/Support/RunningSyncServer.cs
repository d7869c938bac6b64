using OfflineSync.Server.Hosting;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Tests.Support;

/// <summary>The real server (Kestrel on a free loopback port) in this process, on its own temporary data
/// directory, with an HttpClient pointed at it.</summary>
internal sealed class RunningSyncServer : IAsyncDisposable
{
    private readonly Func<SyncServerOptions, SyncServerOptions> configure;
    private SyncServerApp app;

    private RunningSyncServer(SyncServerApp app, TempDirectory dataDirectory, Func<SyncServerOptions, SyncServerOptions> configure)
    {
        this.app = app;
        this.configure = configure;
        DataDirectory = dataDirectory;
        Client = NewClient(app.ListeningUrl);
    }

    public TempDirectory DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory.Path, SyncDatabase.FileName);

    public HttpClient Client { get; private set; }

    public SyncApi Api => new(Client);

    public static async Task<RunningSyncServer> StartAsync(Func<SyncServerOptions, SyncServerOptions>? configure = null)
    {
        configure ??= options => options;
        var dataDirectory = new TempDirectory();
        var app = await StartAppAsync(dataDirectory.Path, configure);
        return new RunningSyncServer(app, dataDirectory, configure);
    }

    /// <summary>Stops the server and starts a new one on the same data directory (and a new port).</summary>
    /// <param name="whileStopped">Runs between the two, e.g. to change the database file.</param>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        Client.Dispose();
        await app.DisposeAsync();
        whileStopped?.Invoke();
        app = await StartAppAsync(DataDirectory.Path, configure);
        Client = NewClient(app.ListeningUrl);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.DisposeAsync();
        DataDirectory.Dispose();
    }

    private static async Task<SyncServerApp> StartAppAsync(string dataDirectory, Func<SyncServerOptions, SyncServerOptions> configure)
    {
        var options = configure(new SyncServerOptions { Port = 0, DataDirectory = dataDirectory, ConsoleLogging = false, Seed = 1234 });
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
