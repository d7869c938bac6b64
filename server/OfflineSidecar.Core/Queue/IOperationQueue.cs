using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Queue;

/// <summary>
/// The user-facing queue of one workspace. Every mutating call returns after its transaction committed.
/// Errors are <see cref="QueueException"/>.
/// </summary>
public interface IOperationQueue
{
    string WorkspaceId { get; }

    /// <summary>Raised after any committed change of this workspace's rows (from this process).</summary>
    event EventHandler<QueueChangedEventArgs>? Changed;

    /// <summary>Calls for one entity (or one dedup key) are queued in the order they were made, also when an earlier
    /// one is still copying its attachments and the later ones are not awaited after it.</summary>
    Task<EnqueueResult> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cheap: maintained counters.</summary>
    Task<QueueCounts> GetCountsAsync(CancellationToken cancellationToken = default);

    Task<OperationPage> ListAsync(ListQuery query, CancellationToken cancellationToken = default);

    Task<OperationDetails?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>failed → pending with attempts reset; a pending operation waiting for backoff becomes due now.
    /// With allFailed, every failed operation of the workspace.</summary>
    Task<int> RetryAsync(IReadOnlyList<string>? ids, bool allFailed, CancellationToken cancellationToken = default);

    /// <summary>Deletes operations that are not syncing. Returns how many were removed.</summary>
    Task<int> DiscardAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Replaces the payload; only while pending (InvalidState otherwise).</summary>
    Task<Operation> UpdatePayloadAsync(string id, string payloadJson, CancellationToken cancellationToken = default);

    /// <summary>Sets priority High. Never reorders operations within one entity.</summary>
    Task<Operation> PrioritizeAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes every operation with one of the statuses (default: all but syncing).</summary>
    Task<int> ClearAsync(IReadOnlyList<OperationStatus>? statuses, CancellationToken cancellationToken = default);

    /// <summary>Writes pending, failed and conflict operations (with idempotency keys) as JSON.</summary>
    Task<int> ExportAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Adds operations from an export; an id already present is skipped, so re-import adds nothing.</summary>
    Task<ImportResult> ImportAsync(string path, CancellationToken cancellationToken = default);
}
