using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Testing;

namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>
/// One <see cref="FlushRun"/> wired to the store and transport stubs, with an owner that records what the run told it:
/// a test awaits <see cref="RunAsync"/> and looks at the result, the store and the owner. No loop, no waiting.
/// </summary>
internal sealed class FlushRig
{
    private readonly Lock gate = new();
    private readonly List<SyncEvent> events = [];

    public FlushRig(Func<SyncOptions, SyncOptions>? configure = null)
    {
        TransportStub.Clock = Time;
        var options = new SyncOptions
        {
            ServerUrl = new Uri("http://127.0.0.1:5999/"),
            BackoffBase = TimeSpan.FromSeconds(1),
            BackoffCap = TimeSpan.FromSeconds(60),
            MaxAttempts = 3,
            BatchSize = 10,
        };
        var log = new SyncLog(null);
        var status = new SyncStatus(Time);
        Status = status;
        var notifier = new SyncNotifier(this, () => new SyncState(OfflineSidecar.Core.Sync.Connectivity.Online, status.Syncing, status.LastSyncedAt, status.LastError, null, false, true), log);
        notifier.SyncEventRaised += (_, e) =>
        {
            lock (gate)
            {
                events.Add(e);
            }
        };
        Services = new FlushServices(
            StoreStub.Store,
            Time,
            new MonotonicTimeProvider(Time),
            new SyncSettings(configure?.Invoke(options) ?? options, new FixedRandom(0.5)),
            Credentials,
            new StoreChangeWatcher(StoreStub.Store, Time, TimeSpan.FromSeconds(1), _ => { }, (_, _) => { }),
            new AttachmentUploader(StoreStub.Store),
            new ConflictMerger(null),
            status,
            notifier,
            log);
    }

    public SettableWallClock Time { get; } = new();
    public StoreStub StoreStub { get; } = new();
    public TransportStub TransportStub { get; } = new();
    public SyncCredentials Credentials { get; } = new();
    public SyncStatus Status { get; }
    public FlushServices Services { get; }
    public RecordingOwner Owner { get; } = new();

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

    public Task<FlushResult> RunAsync(CancellationToken cancellationToken = default) =>
        new FlushRun(Services, TransportStub.Transport, Owner).RunAsync(cancellationToken);

    /// <summary>Plays the loop: allows sending while <see cref="Allowed"/> says so, and records answers and the stop.</summary>
    internal sealed class RecordingOwner : IFlushOwner
    {
        private readonly Lock gate = new();
        private readonly List<DateTimeOffset> answered = [];
        private readonly List<(SendBatchResult Stop, long Credentials)> stops = [];

        public Func<bool> Allowed { get; set; } = () => true;

        public IReadOnlyList<DateTimeOffset> Answered
        {
            get
            {
                lock (gate)
                {
                    return [.. answered];
                }
            }
        }

        public IReadOnlyList<(SendBatchResult Stop, long Credentials)> Stops
        {
            get
            {
                lock (gate)
                {
                    return [.. stops];
                }
            }
        }

        public bool MaySend() => Allowed();

        public void ServerAnswered(DateTimeOffset at)
        {
            lock (gate)
            {
                answered.Add(at);
            }
        }

        public void Stopped(SendBatchResult stoppedBy, long credentials)
        {
            lock (gate)
            {
                stops.Add((stoppedBy, credentials));
            }
        }
    }
}
