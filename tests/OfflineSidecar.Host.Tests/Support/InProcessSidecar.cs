using System.Text.Json;
using NSubstitute;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.Host.Serve;
using OfflineSidecar.Host.Serve.Notifications;

namespace OfflineSidecar.Host.Tests.Support;

/// <summary>
/// The real <see cref="SidecarServer"/> and SQLite store over in-memory pipes, with a substitute sync engine
/// so tests observe delegation and can raise engine events.
/// </summary>
internal sealed class InProcessSidecar : IAsyncDisposable
{
    private long nextId;

    private InProcessSidecar(ServeOptions options, WatchedClock? clock)
    {
        Clock = clock;
        Engine.State.Returns(new SyncState(Connectivity.Offline, false, null, null, null, false, false));
        Engine.SyncNowAsync(Arg.Any<CancellationToken>()).Returns(true);
        Server = new SidecarServer(Peer.ServerInput, Peer.ServerOutput, options, (TimeProvider?)clock ?? TimeProvider.System, Factory, new SidecarLog(TextWriter.Synchronized(Stderr), TimeProvider.System));
        Exited = Server.RunAsync();
    }

    /// <summary>The sidecar's clock when the test holds it (<see cref="Start"/> with one); null: the system's.</summary>
    public WatchedClock? Clock { get; }

    public PipePeer Peer { get; } = new();

    public ISyncEngine Engine { get; } = Substitute.For<ISyncEngine>();

    public TempDirectory Data { get; } = new();

    public SidecarServer Server { get; }

    public Task<int> Exited { get; }

    public StringWriter Stderr { get; } = new();

    public List<SyncOptions> EngineOptions { get; } = [];

    public static InProcessSidecar Start(ServeOptions? options = null, WatchedClock? clock = null) => new(options ?? new ServeOptions(), clock);

    private ISyncEngine Factory(ISyncStore store, OfflineSidecar.Core.Cache.ICacheStore cache, SyncOptions options, TimeProvider time)
    {
        EngineOptions.Add(options);
        return Engine;
    }

    public async Task<JsonElement> RequestAsync(string method, string? parameters = null)
    {
        long id = Interlocked.Increment(ref nextId);
        string json = parameters is null
            ? $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\"}}"
            : $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{parameters}}}";
        await Peer.SendAsync(json);
        return await Peer.ReadResponseAsync(id);
    }

    public Task NotifyAsync(string method, string parameters = "{}") =>
        Peer.SendAsync($"{{\"jsonrpc\":\"2.0\",\"method\":\"{method}\",\"params\":{parameters}}}");

    public string InitializeParams(string extraOptions = "") =>
        $"{{\"processId\":null,\"initializationOptions\":{{\"dataDir\":{JsonSerializer.Serialize(Data.Path)},\"workspaceId\":\"ws\"{extraOptions}}}}}";

    /// <summary>initialize + initialized, then waits for the two state notifications that always follow.</summary>
    public async Task StartSessionAsync(string extraOptions = "")
    {
        JsonAssert.Result(await RequestAsync("initialize", InitializeParams(extraOptions)));
        int before = Clock?.TimersStarted(ClientNotifier.CoalescingWindow) ?? 0;
        await NotifyAsync("initialized");
        await CloseCoalescingWindowAsync(before, 2);
        var pending = new HashSet<string> { "offlineSync/statusChanged", "offlineSync/queueChanged" };
        while (pending.Count > 0)
        {
            JsonElement message = await Peer.ReadAsync();
            if (message.TryGetProperty("method", out JsonElement method))
            {
                pending.Remove(method.GetString()!);
            }
        }
    }

    /// <summary>
    /// With a held clock: once <paramref name="coalescers"/> notification coalescers have started their window since
    /// <paramref name="before"/> (a count from <see cref="WatchedClock.TimersStarted"/>), moves the clock to its end,
    /// which sends what they coalesced. With the system's clock the windows close by themselves.
    /// </summary>
    public async Task CloseCoalescingWindowAsync(int before, int coalescers)
    {
        if (Clock is null)
        {
            return;
        }

        await Clock.WhenTimersStartedAsync(ClientNotifier.CoalescingWindow, before + coalescers);
        Clock.Advance(ClientNotifier.CoalescingWindow);
    }

    public async ValueTask DisposeAsync()
    {
        Peer.CloseInput();
        await Exited.WaitAsync(TestTimeouts.Message);
        await Server.DisposeAsync();
        await Peer.DisposeAsync();
        Data.Dispose();
    }
}
