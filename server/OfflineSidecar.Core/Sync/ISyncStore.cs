using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// What the sync worker needs from the store of one workspace. Implemented by the SQLite store;
/// substituted with NSubstitute in worker unit tests.
/// </summary>
public interface ISyncStore
{
    string WorkspaceId { get; }

    /// <summary>Operations left syncing by a crash go back to pending (their idempotency key makes the resend safe).</summary>
    Task<int> RecoverInterruptedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically picks up to <paramref name="max"/> eligible operations (pending, due at or before
    /// <paramref name="now"/>, head of their entity: no earlier unfinished operation of the same entity)
    /// in delivery order (priority, then enqueue order), marks them syncing and returns them with payloads.
    /// </summary>
    Task<IReadOnlyList<Operation>> ClaimEligibleAsync(int max, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts claimed operations that were never sent back to pending, attempts untouched (the flush stopped between
    /// claim and send). Only rows still syncing move; returns how many did.
    /// </summary>
    Task<int> ReleaseUnsentAsync(IReadOnlyList<Operation> operations, CancellationToken cancellationToken = default);

    /// <summary>Applies a batch's outcomes in one transaction (status, attempts, next attempt, last error,
    /// conflict snapshot, attempt history).</summary>
    Task ApplyOutcomesAsync(IReadOnlyList<OperationOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <summary>When the earliest pending operation that waits for backoff becomes due; null when none waits.</summary>
    Task<DateTimeOffset?> GetNextDueAtAsync(CancellationToken cancellationToken = default);

    /// <summary>True when some pending operation is due now (so a flush has something to do).</summary>
    Task<bool> HasEligibleAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The stored estimate of the server's clock offset (null: never measured).</summary>
    Task<ServerClockEstimate?> GetServerClockAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores the latest estimate; operations enqueued from then on carry their server-time equivalent.</summary>
    Task SaveServerClockAsync(ServerClockEstimate estimate, CancellationToken cancellationToken = default);

    /// <summary>Deletes succeeded operations last updated before <paramref name="olderThan"/>.</summary>
    Task<int> PruneSucceededAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default);

    /// <summary>Resolves a conflict: keepLocal → pending again with expectedVersion = server version;
    /// takeServer → deleted; merge → pending with the merged payload and expectedVersion = server version.</summary>
    Task<Operation?> ResolveConflictAsync(string id, ConflictResolution resolution, string? mergedPayloadJson, CancellationToken cancellationToken = default);

    Task<QueueCounts> GetCountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Tries to take or renew the single-flusher lease for this data directory.
    /// True when <paramref name="owner"/> holds it until now + duration.</summary>
    Task<bool> TryAcquireLeaseAsync(string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task ReleaseLeaseAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>A number that changes whenever any process committed to the store (PRAGMA data_version
    /// plus this process's own commits), so followers can refresh counts cheaply.</summary>
    Task<long> GetChangeStampAsync(CancellationToken cancellationToken = default);

    /// <summary>A new read stream over an attachment blob's content, or null when its file is gone.</summary>
    Stream? OpenBlob(string sha256);
}
