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
    private EffectiveSettings _settings;
    private int _disposed;

    private SidecarSession(SqliteOperationStore store, SqliteWorkspaceStore queue, ISyncEngine engine, EffectiveSettings settings)
    {
        Store = store;
        Queue = queue;
        Engine = engine;
        _settings = settings;
    }

    public SqliteOperationStore Store { get; }

    public IOperationQueue Queue { get; }

    public ISyncEngine Engine { get; }

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
            ISyncEngine engine = engineFactory(queue, settings.ToSyncOptions(), time);
            return new SidecarSession(store, queue, engine, settings);
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
        return ProtocolMapper.ToStatus(Engine.State, counts);
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
