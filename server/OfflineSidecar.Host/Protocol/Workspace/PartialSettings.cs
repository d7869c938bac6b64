using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Host.Protocol.Workspace;

/// <summary>The protocol's <c>Partial&lt;Settings&gt;</c>: absent members keep their current (initially default) value.</summary>
public record PartialSettings
{
    public SyncMode? SyncMode { get; init; }

    public double? SyncIntervalSeconds { get; init; }

    public int? BatchSize { get; init; }

    public int? BatchesInFlight { get; init; }

    public int? MaxAttempts { get; init; }

    public bool? WorkOffline { get; init; }

    public int? MaxPayloadBytes { get; init; }

    public SynchronousMode? Synchronous { get; init; }

    public double? BackoffBaseSeconds { get; init; }

    public double? BackoffCapSeconds { get; init; }

    public double? RequestTimeoutSeconds { get; init; }

    public double? LeaseSeconds { get; init; }

    public double? SucceededRetentionHours { get; init; }

    /// <summary>The op cache's budget in MB (VS Code setting <c>offlineSync.cache.maxSizeMB</c>).</summary>
    public double? CacheMaxSizeMB { get; init; }

    /// <summary>The largest file one attachment may be, in MB (VS Code setting <c>offlineSync.attachments.maxSizeMB</c>).</summary>
    public double? AttachmentMaxSizeMB { get; init; }

    /// <summary>Free space under which the status warns, in MB (<c>offlineSync.storage.lowSpaceWarningMB</c>).</summary>
    public double? LowSpaceWarningMB { get; init; }

    /// <summary>The same as a share of the file system; the smaller of the two applies (<c>offlineSync.storage.lowSpaceWarningPercent</c>).</summary>
    public double? LowSpaceWarningPercent { get; init; }

    /// <summary>Free space under which new operations are refused, in MB (<c>offlineSync.storage.criticalSpaceMB</c>).</summary>
    public double? CriticalSpaceMB { get; init; }
}
