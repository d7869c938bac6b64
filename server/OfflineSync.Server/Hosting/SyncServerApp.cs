using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OfflineSync.Server.Admin;
using OfflineSync.Server.Faults;
using OfflineSync.Server.Stats;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Sync;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Hosting;

/// <summary>The whole server, built the same way by Program and by tests (which run it in-process on a
/// free loopback port: real Kestrel, real sockets).</summary>
internal sealed class SyncServerApp : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ISyncStore store;

    private SyncServerApp(WebApplication app, ISyncStore store)
    {
        this.app = app;
        this.store = store;
    }

    /// <summary>The bound address without a trailing slash, e.g. <c>http://127.0.0.1:5123</c>; valid after start.</summary>
    public string ListeningUrl =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static SyncServerApp Build(SyncServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (options.ConsoleLogging)
        {
            // stdout carries only the "listening on" line that scripts read.
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.AddFilter(typeof(CommandTraceLog).FullName, LogLevel.Information);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var (store, reader) = SyncStorage.Open(options);
        try
        {
            builder.Services.AddHostedService(services =>
                new IdempotencyPruner(store, options, services.GetRequiredService<ILogger<IdempotencyPruner>>()));
            var app = builder.Build();
            MapEndpoints(app, options, store, reader);
            return new SyncServerApp(app, store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => app.StopAsync(cancellationToken);

    /// <summary>Returns after SIGTERM or Ctrl+C has stopped the server.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        store.Dispose();
    }

    private static void MapEndpoints(WebApplication app, SyncServerOptions options, ISyncStore store, ISyncStoreReader reader)
    {
        var startupFaults = new FaultSettings { RequireToken = options.Token };
        var faults = new FaultState(startupFaults, options.Seed ?? Random.Shared.Next());
        var stats = new ServerStats();
        var commandLog = new CommandRequestLog(options.TimeProvider);
        var gate = new SyncRequestGate(faults, stats, options.Accounts);
        var clock = new ReportedClock(options.TimeProvider, faults);

        app.Use(clock.StampDateHeaderAsync);

        app.UseWhen(AdminLoopbackGuard.IsAdminPath, admin => admin.Use(AdminLoopbackGuard.RejectOrContinueAsync));

        app.MapGet("/sync/health", new HealthEndpoint(gate, stats, clock, options).HandleAsync);
        var traces = new CommandTraceLog(app.Services.GetRequiredService<ILogger<CommandTraceLog>>());
        app.MapPost("/sync/commands", new CommandsEndpoint(store, reader, gate, faults, stats, clock, options, traces, commandLog).HandleAsync);
        var blobs = new BlobsEndpoint(store, reader, gate, faults, stats, options);
        app.MapMethods("/sync/blobs/{sha256}", [HttpMethods.Head, HttpMethods.Get], blobs.ReadAsync);
        app.MapPut("/sync/blobs/{sha256}", blobs.PutAsync);
        app.MapGet("/sync/changes", new ChangesEndpoint(reader, gate, faults, stats).HandleAsync);
        app.MapGet("/sync/entity", new EntityEndpoint(reader, gate, faults, stats).HandleAsync);
        app.MapGet("/sync/whoami", new WhoAmIEndpoint(gate, stats).HandleAsync);

        new AdminFaultEndpoints(faults).Map(app);
        new AdminStatsEndpoints(stats, commandLog).Map(app);
        new AdminEntityEndpoints(store, reader).Map(app);
        new AdminIdempotencyEndpoints(store, options).Map(app);
        new AdminCompactionEndpoints(store).Map(app);
    }
}
