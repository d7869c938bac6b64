using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Storage;
using OfflineSidecar.Host.Protocol.Serialization;
using OfflineSidecar.Host.Protocol.Sync;

namespace OfflineSidecar.Host.Mapping;

/// <summary>Core records → protocol DTOs. Kept apart so the core never depends on the wire format.</summary>
internal static class ProtocolMapper
{
    public static QueueCountsDto ToDto(QueueCounts counts) =>
        new(counts.Pending, counts.Syncing, counts.Failed, counts.Conflict, counts.Succeeded);

    public static OperationErrorDto? ToDto(OperationError? error) =>
        error is null ? null : new OperationErrorDto(error.Code, error.Message);

    public static OperationDto ToDto(Operation operation) => new()
    {
        Id = operation.Id,
        WorkspaceId = operation.WorkspaceId,
        Type = operation.Type,
        EntityId = operation.EntityId,
        Payload = operation.PayloadJson is null ? null : new RawJson(operation.PayloadJson),
        PayloadBytes = operation.PayloadBytes,
        IdempotencyKey = operation.IdempotencyKey,
        DedupKey = operation.DedupKey,
        ExpectedVersion = operation.ExpectedVersion,
        Priority = operation.Priority,
        Status = operation.Status,
        Attempts = operation.Attempts,
        NextAttemptAt = operation.NextAttemptAt,
        LastError = ToDto(operation.LastError),
        CreatedAt = operation.CreatedAt,
        ServerCreatedAt = operation.ServerCreatedAt,
        UpdatedAt = operation.UpdatedAt,
        ExpiresAt = operation.ExpiresAt,
        ClientTraceId = operation.ClientTraceId,
        Attachments = [.. operation.Attachments.Select(static a => new AttachmentDto(a.Sha256, a.Name, a.MediaType, a.Size))],
    };

    public static OperationDetailsDto ToDto(OperationDetails details) => new(
        ToDto(details.Operation),
        details.Attempts.Select(a => new AttemptRecordDto(a.Attempt, a.StartedAt, a.FinishedAt, a.Outcome, ToDto(a.Error))).ToArray(),
        details.Conflict is { } conflict
            ? new ConflictInfo(conflict.ServerVersion, conflict.ServerPayloadJson is null ? null : new RawJson(conflict.ServerPayloadJson), conflict.DetectedAt)
            : null);

    public static ListOperationsResult ToDto(OperationPage page) =>
        new(page.Items.Select(ToDto).ToArray(), page.NextCursor, page.Total);

    public static SyncStatus ToStatus(
        SyncState state, QueueCounts counts, DateTimeOffset? lastPulledAt, CacheTotals cache, long cacheMaxBytes, string? account, TimeSpan? lastSyncedAgo,
        StorageSpace? space) => new(
        state.Connectivity,
        state.Syncing,
        ToDto(counts),
        state.LastSyncedAt,
        ToDto(state.LastError),
        state.ServerUrl,
        state.WorkOffline,
        state.IsLeader,
        lastPulledAt,
        new CacheStatusDto(cache.Entities, cache.Bytes, cacheMaxBytes),
        account,
        state.ServerClock is { } clock ? (long)Math.Round(clock.LocalAhead.TotalMilliseconds) : null,
        lastSyncedAgo is { } ago ? (long)ago.TotalMilliseconds : null,
        space is null ? null : new StorageStatusDto(space.FreeBytes, space.Level, space.WarningBytes, space.CriticalBytes));

    public static CacheEntryDto ToDto(CacheEntry entry, bool stale) => new()
    {
        EntityId = entry.EntityId,
        Type = entry.Type,
        Payload = entry.PayloadJson is null ? null : new RawJson(entry.PayloadJson),
        Version = entry.Version,
        State = entry.State,
        Size = entry.Size,
        Mtime = entry.ModifiedAt,
        FetchedAt = entry.FetchedAt,
        Stale = stale,
        Evicted = entry.Evicted,
        Pinned = entry.Pinned,
        OperationId = entry.OperationId,
    };

    public static SyncEventParams ToDto(SyncEvent syncEvent, QueueCounts counts)
    {
        bool summary = syncEvent.Kind == SyncEventKind.FlushCompleted;
        return new SyncEventParams
        {
            Kind = syncEvent.Kind,
            Counts = ToDto(counts),
            Ids = syncEvent.Ids,
            Message = syncEvent.Message,
            Total = summary || syncEvent.Kind == SyncEventKind.FlushStarted ? syncEvent.Total : null,
            Applied = summary ? syncEvent.Applied : null,
            Failed = summary ? syncEvent.Failed : null,
            Conflicts = summary ? syncEvent.Conflicts : null,
        };
    }
}
