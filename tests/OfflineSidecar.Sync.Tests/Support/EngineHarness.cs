using NSubstitute;
using OfflineSidecar.Core.Connectivity;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Testing;

namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>A <see cref="SyncEngine"/> wired to stubs and a manual clock, recording what it raised.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<SyncEvent> events = [];
    private readonly List<SyncProgress> progress = [];
    private readonly List<SyncState> states = [];
    private readonly Pulse changed = new();

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

            changed.Fire();
        };
        Engine.StateChanged += (_, s) =>
        {
            lock (gate)
            {
                states.Add(s);
            }

            changed.Fire();
        };
        Engine.ProgressReported += (_, p) =>
        {
            lock (gate)
            {
                progress.Add(p);
            }

            changed.Fire();
        };
        Engine.CountsChanged += (_, _) => changed.Fire();
        Engine.AccountIdentified += (_, _) => changed.Fire();
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

    /// <summary>
    /// Returns once <paramref name="condition"/> holds. It is checked again whenever something it can read changed: the
    /// engine raised an event or finished a loop step, the transport was called, the store changed. The handlers of
    /// this harness run before a test's own, so a condition on what a test's handler records may be checked before
    /// that handler ran: such a test awaits its own signal instead. Ten seconds without it is a failure, not a wait.
    /// </summary>
    public async Task UntilAsync(Func<bool> condition, string because)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            // Taken before the check, so a change between the check and the wait is not missed.
            var change = Task.WhenAny(changed.Next, TransportStub.Changed.Next, StoreStub.Changed.Next, Engine.WhenStepCompletedAsync(Engine.StepsCompleted + 1));
            if (condition())
            {
                return;
            }

            try
            {
                await change.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Timed out waiting: " + because);
            }
        }
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
