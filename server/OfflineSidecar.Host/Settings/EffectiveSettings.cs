using System.Globalization;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol.Workspace;

namespace OfflineSidecar.Host.Settings;

/// <summary>
/// The settings in force: the defaults (<see cref="SettingsCatalog"/> for the user's settings; the protocol-only ones
/// are here), overlaid by every patch received so far.
/// </summary>
internal sealed record EffectiveSettings
{
    public static readonly EffectiveSettings Defaults = new();

    public Uri? ServerUrl { get; init; }
    public SyncMode SyncMode { get; init; } = Enum.Parse<SyncMode>(SettingsCatalog.SyncMode.DefaultString, ignoreCase: true);
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(SettingsCatalog.SyncIntervalSeconds.DefaultNumber);
    public int BatchSize { get; init; } = SettingsCatalog.BatchSize.DefaultInteger;
    public int BatchesInFlight { get; init; } = SettingsCatalog.BatchesInFlight.DefaultInteger;
    public int MaxAttempts { get; init; } = SettingsCatalog.MaxAttempts.DefaultInteger;
    public bool WorkOffline { get; init; } = (bool)SettingsCatalog.WorkOffline.Default;
    public int MaxPayloadBytes { get; init; } = StoreOptions.DefaultMaxPayloadBytes;
    public SynchronousMode Synchronous { get; init; } = SynchronousMode.Full;
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(300);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan SucceededRetention { get; init; } = TimeSpan.FromHours(24);
    public long CacheMaxBytes { get; init; } = Bytes(SettingsCatalog.CacheMaxSizeMB.DefaultNumber);
    public long AttachmentMaxBytes { get; init; } = Bytes(SettingsCatalog.AttachmentMaxSizeMB.DefaultNumber);

    public SpaceThresholds Space { get; init; } = new()
    {
        WarningBytes = Bytes(SettingsCatalog.LowSpaceWarningMB.DefaultNumber),
        WarningPercent = SettingsCatalog.LowSpaceWarningPercent.DefaultNumber,
        CriticalBytes = Bytes(SettingsCatalog.CriticalSpaceMB.DefaultNumber),
    };

    /// <summary>Overlays the members present in <paramref name="patch"/>; throws <see cref="SettingsException"/> naming
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
            BatchSize = Positive(patch.BatchSize, BatchSize, SettingsCatalog.BatchSize.Maximum, $"{field}.batchSize"),
            BatchesInFlight = Positive(patch.BatchesInFlight, BatchesInFlight, SettingsCatalog.BatchesInFlight.Maximum, $"{field}.batchesInFlight"),
            MaxAttempts = Positive(patch.MaxAttempts, MaxAttempts, SettingsCatalog.MaxAttempts.Maximum, $"{field}.maxAttempts"),
            WorkOffline = patch.WorkOffline ?? WorkOffline,
            MaxPayloadBytes = Positive(patch.MaxPayloadBytes, MaxPayloadBytes, maximum: null, $"{field}.maxPayloadBytes"),
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
                WarningPercent = Percent(patch.LowSpaceWarningPercent, Space.WarningPercent, SettingsCatalog.LowSpaceWarningPercent.Maximum!.Value, $"{field}.lowSpaceWarningPercent"),
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

    private static SettingsException Invalid(string field, string problem) => new(SettingsErrorKind.InvalidValue, field, problem);

    private static long Bytes(double megabytes) => (long)(megabytes * 1024 * 1024);

    private static int Positive(int? value, int current, double? maximum, string field) => value switch
    {
        null => current,
        > 0 when maximum is null || value <= maximum => value.Value,
        _ when maximum is null => throw Invalid(field, "must be positive"),
        _ => throw Invalid(field, string.Create(CultureInfo.InvariantCulture, $"must be positive and at most {maximum}")),
    };

    private static long Megabytes(double? value, long current, string field) => value switch
    {
        null => current,
        > 0 and <= SettingsCatalog.MaxMegabytes => Bytes(value.Value),
        _ => throw Invalid(field, "must be positive and at most 1048576 (1 TB)"),
    };

    private static double Percent(double? value, double current, double maximum, string field) => value switch
    {
        null => current,
        > 0 when value <= maximum => value.Value,
        _ => throw Invalid(field, "must be more than 0 and at most 100"),
    };

    private static TimeSpan Seconds(double? value, TimeSpan current, string field) => value switch
    {
        null => current,
        > 0 and < 1e9 => TimeSpan.FromSeconds(value.Value),
        _ => throw Invalid(field, "must be positive"),
    };
}
