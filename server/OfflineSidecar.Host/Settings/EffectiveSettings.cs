using System.Globalization;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol.Workspace;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Settings;

/// <summary>The settings in force: the protocol's defaults, overlaid by every patch received so far.</summary>
internal sealed record EffectiveSettings
{
    public static readonly EffectiveSettings Defaults = new();

    public Uri? ServerUrl { get; init; }
    public SyncMode SyncMode { get; init; } = SyncMode.Eager;
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(30);
    public int BatchSize { get; init; } = 50;
    public int BatchesInFlight { get; init; } = 8;
    public int MaxAttempts { get; init; } = 5;
    public bool WorkOffline { get; init; }
    public int MaxPayloadBytes { get; init; } = StoreOptions.DefaultMaxPayloadBytes;
    public SynchronousMode Synchronous { get; init; } = SynchronousMode.Full;
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(300);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan SucceededRetention { get; init; } = TimeSpan.FromHours(24);
    public long CacheMaxBytes { get; init; } = 256L * 1024 * 1024;
    public long AttachmentMaxBytes { get; init; } = StoreOptions.DefaultMaxAttachmentBytes;

    public SpaceThresholds Space { get; init; } = SpaceThresholds.Default;

    /// <summary>Overlays the members present in <paramref name="patch"/>; throws -32602 naming
    /// <paramref name="field"/>.member for a value out of range.</summary>
    public EffectiveSettings With(PartialSettings? patch, string field)
    {
        if (patch is null)
        {
            return this;
        }

        return this with
        {
            SyncMode = patch.SyncMode ?? SyncMode,
            SyncInterval = Seconds(patch.SyncIntervalSeconds, SyncInterval, $"{field}.syncIntervalSeconds"),
            BatchSize = Positive(patch.BatchSize, BatchSize, $"{field}.batchSize"),
            BatchesInFlight = Positive(patch.BatchesInFlight, BatchesInFlight, $"{field}.batchesInFlight"),
            MaxAttempts = Positive(patch.MaxAttempts, MaxAttempts, $"{field}.maxAttempts"),
            WorkOffline = patch.WorkOffline ?? WorkOffline,
            MaxPayloadBytes = Positive(patch.MaxPayloadBytes, MaxPayloadBytes, $"{field}.maxPayloadBytes"),
            Synchronous = patch.Synchronous ?? Synchronous,
            BackoffBase = Seconds(patch.BackoffBaseSeconds, BackoffBase, $"{field}.backoffBaseSeconds"),
            BackoffCap = Seconds(patch.BackoffCapSeconds, BackoffCap, $"{field}.backoffCapSeconds"),
            RequestTimeout = Seconds(patch.RequestTimeoutSeconds, RequestTimeout, $"{field}.requestTimeoutSeconds"),
            Lease = Seconds(patch.LeaseSeconds, Lease, $"{field}.leaseSeconds"),
            SucceededRetention = Seconds(patch.SucceededRetentionHours * 3600, SucceededRetention, $"{field}.succeededRetentionHours"),
            CacheMaxBytes = Megabytes(patch.CacheMaxSizeMB, CacheMaxBytes, $"{field}.cacheMaxSizeMB"),
            AttachmentMaxBytes = Megabytes(patch.AttachmentMaxSizeMB, AttachmentMaxBytes, $"{field}.attachmentMaxSizeMB"),
            Space = new SpaceThresholds
            {
                WarningBytes = Megabytes(patch.LowSpaceWarningMB, Space.WarningBytes, $"{field}.lowSpaceWarningMB"),
                WarningPercent = Percent(patch.LowSpaceWarningPercent, Space.WarningPercent, $"{field}.lowSpaceWarningPercent"),
                CriticalBytes = Megabytes(patch.CriticalSpaceMB, Space.CriticalBytes, $"{field}.criticalSpaceMB"),
            },
        };
    }

    public SyncOptions ToSyncOptions() => new()
    {
        ServerUrl = ServerUrl,
        // The pid tells the server's command log (and whoever reads a server's logs) which window's sidecar sent a batch.
        ClientId = string.Create(CultureInfo.InvariantCulture, $"offline-sidecar/{Environment.ProcessId}"),
        Mode = SyncMode,
        SyncInterval = SyncInterval,
        BatchSize = BatchSize,
        MaxBatchesInFlight = BatchesInFlight,
        MaxAttempts = MaxAttempts,
        WorkOffline = WorkOffline,
        BackoffBase = BackoffBase,
        BackoffCap = BackoffCap,
        RequestTimeout = RequestTimeout,
        Lease = Lease,
        SucceededRetention = SucceededRetention,
        CacheMaxBytes = CacheMaxBytes,
    };

    public StoreOptions ToStoreOptions(string databasePath) => new()
    {
        DatabasePath = databasePath,
        Synchronous = Synchronous,
        MaxPayloadBytes = MaxPayloadBytes,
        MaxAttachmentBytes = AttachmentMaxBytes,
        SpaceThresholds = Space,
    };

    private static int Positive(int? value, int current, string field) => value switch
    {
        null => current,
        > 0 => value.Value,
        _ => throw JsonRpcException.InvalidParams(field, "must be positive"),
    };

    private static long Megabytes(double? value, long current, string field) => value switch
    {
        null => current,
        > 0 and <= 1_048_576 => (long)(value.Value * 1024 * 1024),
        _ => throw JsonRpcException.InvalidParams(field, "must be positive and at most 1048576 (1 TB)"),
    };

    private static double Percent(double? value, double current, string field) => value switch
    {
        null => current,
        > 0 and <= 100 => value.Value,
        _ => throw JsonRpcException.InvalidParams(field, "must be more than 0 and at most 100"),
    };

    private static TimeSpan Seconds(double? value, TimeSpan current, string field) => value switch
    {
        null => current,
        > 0 and < 1e9 => TimeSpan.FromSeconds(value.Value),
        _ => throw JsonRpcException.InvalidParams(field, "must be positive"),
    };
}
