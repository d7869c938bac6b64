using OfflineSidecar.Core.Accounts;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.Host.Mapping;
using OfflineSidecar.Host.Protocol.Sync;
using OfflineSidecar.Host.Serve.Accounts;
using OfflineSidecar.Host.Settings;

namespace OfflineSidecar.Host.Serve;

/// <summary>
/// What <c>initialize</c> opens and <c>shutdown</c> closes: the store, the settings in force, and the scope of the
/// account signed in (its queue, cache and sync engine), which credentials and the server's answers may switch.
/// </summary>
internal sealed class SidecarSession : IAsyncDisposable
{
    public const string DatabaseFileName = "offline-sidecar.db";

    private readonly Lock settingsGate = new();
    private readonly TimeProvider time;
    private EffectiveSettings settings;
    private AccountScopes scopes = null!;
    private int disposed;

    private SidecarSession(SqliteOperationStore store, EffectiveSettings settings, TimeProvider time)
    {
        Store = store;
        this.settings = settings;
        this.time = time;
    }

    public SqliteOperationStore Store { get; }

    /// <summary>The account signed in: the scope every request and notification is about.</summary>
    public PartitionScope Scope => scopes.Current;

    public IOperationQueue Queue => Scope.Queue;

    public ISyncEngine Engine => Scope.Engine;

    /// <summary>The op cache of the account's workspace (documents: server rows with the queue overlaid).</summary>
    public IDocumentCache Cache => Scope.Cache;

    /// <summary>Reads documents for the editor, fetching evicted ones on demand.</summary>
    public DocumentReader Documents => Scope.Documents;

    public ConflictBulkResolver Conflicts => Scope.Conflicts;

    /// <summary>After an account switch, with the new scope running: (old, new).</summary>
    public event Action<PartitionScope, PartitionScope>? ScopeSwitched
    {
        add => scopes.Switched += value;
        remove => scopes.Switched -= value;
    }

    public EffectiveSettings Settings
    {
        get
        {
            lock (settingsGate)
            {
                return this.settings;
            }
        }
    }

    /// <param name="token">The credentials the editor started the sidecar with (initializationOptions), or null.</param>
    public static async Task<SidecarSession> OpenAsync(
        string dataDir, string workspaceId, EffectiveSettings settings, string? token, TimeProvider time, SyncEngineFactory engineFactory, SidecarLog? log)
    {
        Directory.CreateDirectory(dataDir);
        StoreOptions options = settings.ToStoreOptions(Path.Combine(dataDir, DatabaseFileName)) with { FreeSpaceProbe = new DriveFreeSpaceProbe() };
        SqliteOperationStore store = SqliteOperationStore.Open(options, time);
        try
        {
            var session = new SidecarSession(store, settings, time);
            session.scopes = await AccountScopes.OpenAsync(store, workspaceId, () => session.Settings, token, time, engineFactory, log);
            return session;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => scopes.StartAsync(cancellationToken);

    public Task SetCredentialsAsync(string? token) => scopes.SetCredentialsAsync(token);

    public Task<PartitionErasure?> SignOutAsync(bool erase) => scopes.SignOutAsync(erase);

    /// <summary>Applies new settings at once to the store and the engine; another server opens its own partition.</summary>
    public async Task ApplyAsync(EffectiveSettings settings)
    {
        bool serverChanged;
        lock (settingsGate)
        {
            serverChanged = settings.ServerUrl != this.settings.ServerUrl;
            Store.ApplySettings(settings.Synchronous, settings.MaxPayloadBytes, settings.AttachmentMaxBytes);
            Store.Space?.UpdateThresholds(settings.Space);
            if (!serverChanged)
            {
                Engine.UpdateOptions(scopes.OptionsFor(settings));
            }

            this.settings = settings;
        }

        if (serverChanged)
        {
            await scopes.ServerChangedAsync();
        }
    }

    public void SetWorkOffline(bool enabled)
    {
        lock (settingsGate)
        {
            Engine.SetWorkOffline(enabled);
            this.settings = this.settings with { WorkOffline = enabled };
        }
    }

    public async Task<SyncStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        PartitionScope scope = Scope;
        QueueCounts counts = await scope.Queue.GetCountsAsync(cancellationToken);
        CacheTotals totals = await scope.Cache.GetTotalsAsync(cancellationToken);
        PullState pull = await scope.Cache.GetPullStateAsync(cancellationToken);
        SyncState state = scope.Engine.State;
        TimeSpan? syncedAgo = state.LastSyncedTimestamp is { } stamp ? this.time.GetElapsedTime(stamp) : null;
        return ProtocolMapper.ToStatus(state, counts, pull.LastPulledAt, totals, Settings.CacheMaxBytes, scope.AccountId, syncedAgo, Store.Space?.Current);
    }

    /// <summary>
    /// A cached document may be behind the server when the server cannot be asked now, or when no pull has read the feed to
    /// its end within two sync intervals (every window of the workspace pulls into the same cache, so any of them counts).
    /// </summary>
    public async Task<bool> IsCacheStaleAsync(CancellationToken cancellationToken)
    {
        PartitionScope scope = Scope;
        PullState pull = await scope.Cache.GetPullStateAsync(cancellationToken);
        return scope.Engine.State.Connectivity != Connectivity.Online
            || pull.LastPulledAt is not { } at
            || this.time.GetUtcNow() - at > 2 * Settings.SyncInterval;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await scopes.DisposeAsync();
        }
        finally
        {
            await Store.DisposeAsync();
        }
    }
}
