namespace OfflineSidecar.Core.Sync;

/// <summary>Settings of the sync engine; immutable, replaced as a whole by <see cref="ISyncEngine.UpdateOptions"/>.</summary>
public sealed record SyncOptions
{
    /// <summary>Null: no server configured, nothing is sent.</summary>
    public Uri? ServerUrl { get; init; }

    /// <summary>
    /// The workspace's id on the server. Null: the store's own id, which is the workspace id itself unless the store keeps
    /// accounts apart (then the store's id is a partition's name, and this is the workspace it belongs to).
    /// </summary>
    public string? ServerWorkspaceId { get; init; }
    public string ClientId { get; init; } = "sidecar";
    public SyncMode Mode { get; init; } = SyncMode.Eager;
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(30);
    public int BatchSize { get; init; } = 50;

    /// <summary>
    /// How many batches may be on the wire at once during a flush. Per-entity order does not depend on it: an entity's
    /// next operation is not claimable (not its head) until the earlier one finished. 1 sends strictly one at a time.
    /// 8: on a 2-core machine draining to a loopback server, 1 → 2 → 4 → 8 still gained (answers arriving together share
    /// a writer transaction), 16 did not.
    /// </summary>
    public int MaxBatchesInFlight { get; init; } = 8;
    public int MaxAttempts { get; init; } = 5;
    public bool WorkOffline { get; init; }
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan SucceededRetention { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan ProbeMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ProbeMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The op cache's budget: over it, the least recently read documents are evicted (kept as stubs).</summary>
    public long CacheMaxBytes { get; init; } = 256L * 1024 * 1024;
}
