using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Mapping;
using OfflineSidecar.Host.Protocol.Sync;
using OfflineSidecar.Host.Settings;

namespace OfflineSidecar.Host.Serve;

/// <summary>What <c>initialize</c> opens and <c>shutdown</c> closes: the store, this workspace's queue, its sync engine.</summary>
internal sealed class SidecarSession : IAsyncDisposable
{
    public const string DatabaseFileName = "offline-sidecar.db";

    private readonly Lock _settingsGate = new();
    private readonly TimeProvider _time;
    private EffectiveSettings _settings;
    private int _disposed;

    private SidecarSession(SqliteOperationStore store, SqliteWorkspaceStore queue, SqliteDocumentCache cache, ISyncEngine engine, EffectiveSettings settings, TimeProvider time)
    {
        Store = store;
        Queue = queue;
        Cache = cache;
        Engine = engine;
        _settings = settings;
        _time = time;
        Documents = new DocumentReader(cache, engine.FetchDocumentAsync);
        Conflicts = new ConflictBulkResolver(queue, engine, new ConflictMerger(cache));
    }

    public SqliteOperationStore Store { get; }

    public IOperationQueue Queue { get; }

    public ISyncEngine Engine { get; }

    /// <summary>The op cache of this workspace (documents: server rows with the queue overlaid).</summary>
    public IDocumentCache Cache { get; }

    /// <summary>Reads documents for the editor, fetching evicted ones on demand.</summary>
    public DocumentReader Documents { get; }

    public ConflictBulkResolver Conflicts { get; }

    public EffectiveSettings Settings
    {
        get
        {
            lock (_settingsGate)
            {
                return _settings;
            }
        }
    }

    public static SidecarSession Open(string dataDir, string workspaceId, EffectiveSettings settings, TimeProvider time, SyncEngineFactory engineFactory)
    {
        Directory.CreateDirectory(dataDir);
        SqliteOperationStore store = SqliteOperationStore.Open(settings.ToStoreOptions(Path.Combine(dataDir, DatabaseFileName)), time);
        try
        {
            SqliteWorkspaceStore queue = store.Workspace(workspaceId);
            SqliteDocumentCache cache = store.Cache(workspaceId);
            ISyncEngine engine = engineFactory(queue, cache, settings.ToSyncOptions(), time);
            return new SidecarSession(store, queue, cache, engine, settings, time);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Applies new settings at once to the store and the engine.</summary>
    public void Apply(EffectiveSettings settings)
    {
        lock (_settingsGate)
        {
            Store.ApplySettings(settings.Synchronous, settings.MaxPayloadBytes);
            Engine.UpdateOptions(settings.ToSyncOptions());
            _settings = settings;
        }
    }

    public void SetWorkOffline(bool enabled)
    {
        lock (_settingsGate)
        {
            Engine.SetWorkOffline(enabled);
            _settings = _settings with { WorkOffline = enabled };
        }
    }

    public async Task<SyncStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        QueueCounts counts = await Queue.GetCountsAsync(cancellationToken);
        CacheTotals totals = await Cache.GetTotalsAsync(cancellationToken);
        PullState pull = await Cache.GetPullStateAsync(cancellationToken);
        return ProtocolMapper.ToStatus(Engine.State, counts, pull.LastPulledAt, totals, Settings.CacheMaxBytes);
    }

    /// <summary>
    /// A cached document may be behind the server when the server cannot be asked now, or when no pull has read the feed to
    /// its end within two sync intervals (every window of the workspace pulls into the same cache, so any of them counts).
    /// </summary>
    public async Task<bool> IsCacheStaleAsync(CancellationToken cancellationToken)
    {
        PullState pull = await Cache.GetPullStateAsync(cancellationToken);
        return Engine.State.Connectivity != Connectivity.Online
            || pull.LastPulledAt is not { } at
            || _time.GetUtcNow() - at > 2 * Settings.SyncInterval;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Engine.DisposeAsync();
        }
        finally
        {
            await Store.DisposeAsync();
        }
    }
}
