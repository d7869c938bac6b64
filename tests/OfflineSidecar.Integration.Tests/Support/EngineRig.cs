using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>The real SQLite store and the real engine (HTTP transport, system clock) in this process.</summary>
internal sealed class EngineRig : IAsyncDisposable
{
    public const string WorkspaceId = "ws-int";

    private readonly Lock gate = new();
    private readonly List<SyncEvent> events = [];
    private readonly TempDirectory directory = new("sidecar-int");
    private readonly SqliteOperationStore store;

    private EngineRig(SyncOptions options, Action<string>? log, bool withCache)
    {
        store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = Path.Combine(directory.Path, "queue.db") }, TimeProvider.System);
        Queue = store.Workspace(WorkspaceId);
        Cache = store.Cache(WorkspaceId);
        Options = options;
        Engine = SyncEngine.Create(Queue, options, TimeProvider.System, (level, message) => log?.Invoke($"[{level}] {message}"), withCache ? Cache : null);
        Engine.SyncEventRaised += (_, e) =>
        {
            lock (gate)
            {
                events.Add(e);
            }
        };
    }

    public SqliteWorkspaceStore Queue { get; }

    /// <summary>The op cache; the engine pulls into it only when the rig was started with one.</summary>
    public SqliteDocumentCache Cache { get; }

    public SyncEngine Engine { get; }

    public SyncOptions Options { get; }

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

    /// <summary>Timings shrunk so the suite stays short; the logic is the production one.</summary>
    public static SyncOptions FastOptions(Uri serverUrl) => new()
    {
        ServerUrl = serverUrl,
        ClientId = "int-client",
        BackoffBase = TimeSpan.FromMilliseconds(50),
        BackoffCap = TimeSpan.FromSeconds(1),
        ProbeMin = TimeSpan.FromMilliseconds(100),
        ProbeMax = TimeSpan.FromMilliseconds(500),
        Lease = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(10),
        MaxAttempts = 50,
        BatchSize = 50,
    };

    public static async Task<EngineRig> StartAsync(
        Uri serverUrl, Func<SyncOptions, SyncOptions>? configure = null, Action<string>? log = null, string? token = null, bool withCache = false)
    {
        var options = FastOptions(serverUrl);
        var rig = new EngineRig(configure?.Invoke(options) ?? options, log, withCache);
        if (token is not null)
        {
            rig.Engine.SetCredentials(token);
        }

        await rig.Engine.StartAsync();
        return rig;
    }

    public async Task<string> EnqueueAsync(string entityId, string payloadJson, string type = "document.put.v1", long? expectedVersion = null)
    {
        var result = await Queue.EnqueueAsync(new EnqueueRequest { Type = type, EntityId = entityId, PayloadJson = payloadJson, ExpectedVersion = expectedVersion });
        // What the host does after every enqueue.
        Engine.Wake();
        return result.Id;
    }

    public async Task WaitUntilDrainedAsync(int timeoutSeconds = 90)
    {
        await Wait.UntilAsync(
            async () =>
            {
                var counts = await Queue.GetCountsAsync();
                return counts.Pending == 0 && counts.Syncing == 0;
            },
            "the queue drained",
            timeoutSeconds);
    }

    public async Task<OperationDetails> DetailsAsync(string id) => (await Queue.GetAsync(id))!;

    public async Task<OperationStatus> StatusAsync(string id) => (await DetailsAsync(id)).Operation.Status;

    public int Count(SyncEventKind kind) => Events.Count(e => e.Kind == kind);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await store.DisposeAsync();
        directory.Dispose();
    }
}
