using NSubstitute;
using OfflineSidecar.Core.Connectivity;
using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>A <see cref="SyncEngine"/> wired to stubs and a manual clock, recording what it raised.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<SyncEvent> events = [];
    private readonly List<SyncProgress> progress = [];
    private readonly List<SyncState> states = [];

    public EngineHarness(Func<SyncOptions, SyncOptions>? configure = null)
    {
        Network.IsAvailable.Returns(true);
        TransportStub.Clock = Time;
        var options = new SyncOptions
        {
            ServerUrl = new Uri("http://127.0.0.1:5999/"),
            BackoffBase = TimeSpan.FromSeconds(1),
            BackoffCap = TimeSpan.FromSeconds(60),
            ProbeMin = TimeSpan.FromSeconds(1),
            ProbeMax = TimeSpan.FromSeconds(8),
            Lease = TimeSpan.FromSeconds(3),
            MaxAttempts = 3,
            BatchSize = 10,
        };
        Options = configure?.Invoke(options) ?? options;
        Engine = new SyncEngine(StoreStub.Store, Options, _ => TransportStub.Transport, Network, Time, Random, (_, _) => { });
        Engine.SyncEventRaised += (_, e) =>
        {
            lock (gate)
            {
                events.Add(e);
            }
        };
        Engine.StateChanged += (_, s) =>
        {
            lock (gate)
            {
                states.Add(s);
            }
        };
        Engine.ProgressReported += (_, p) =>
        {
            lock (gate)
            {
                progress.Add(p);
            }
        };
    }

    public SettableWallClock Time { get; } = new();
    public StoreStub StoreStub { get; } = new();
    public TransportStub TransportStub { get; } = new();
    public INetworkStatus Network { get; } = Substitute.For<INetworkStatus>();
    public FixedRandom Random { get; } = new(0.5);
    public SyncOptions Options { get; }
    public SyncEngine Engine { get; }

    public IReadOnlyList<SyncEvent> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    public IReadOnlyList<SyncProgress> Progress
    {
        get
        {
            lock (gate)
            {
                return [.. progress];
            }
        }
    }

    /// <summary>Every state the engine published (StateChanged), in order.</summary>
    public IReadOnlyList<SyncState> States
    {
        get
        {
            lock (gate)
            {
                return [.. states];
            }
        }
    }

    public int Count(SyncEventKind kind) => Events.Count(e => e.Kind == kind);

    /// <summary>
    /// Moves the clock in steps, and after each waits until the background loop is parked again with nothing due: the
    /// timers the move fired have woken it and it has done what they made due, so the next step's timers are armed.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan total, TimeSpan? step = null)
    {
        var increment = step ?? TimeSpan.FromMilliseconds(100);
        for (var moved = TimeSpan.Zero; moved < total; moved += increment)
        {
            Time.Advance(increment < total - moved ? increment : total - moved);
            await Engine.WhenLoopIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
