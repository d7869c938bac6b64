using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Bench.Diagnosis;

/// <summary>The store as the sync engine sees it, with a stopwatch on claim and apply (each one writer transaction).</summary>
internal sealed class TimingSyncStore(ISyncStore inner) : ISyncStore
{
    public StageClock Claim { get; } = new();

    public StageClock Apply { get; } = new();

    public string WorkspaceId => inner.WorkspaceId;

    public Task<IReadOnlyList<Operation>> ClaimEligibleAsync(int max, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Claim.TimeAsync(() => inner.ClaimEligibleAsync(max, now, cancellationToken));

    public Task<int> ReleaseUnsentAsync(IReadOnlyList<Operation> operations, CancellationToken cancellationToken = default) =>
        inner.ReleaseUnsentAsync(operations, cancellationToken);

    public Task ApplyOutcomesAsync(IReadOnlyList<OperationOutcome> outcomes, CancellationToken cancellationToken = default) =>
        Apply.TimeAsync(() => inner.ApplyOutcomesAsync(outcomes, cancellationToken));

    public Task<int> RecoverInterruptedAsync(CancellationToken cancellationToken = default) => inner.RecoverInterruptedAsync(cancellationToken);

    public Task<DateTimeOffset?> GetNextDueAtAsync(CancellationToken cancellationToken = default) => inner.GetNextDueAtAsync(cancellationToken);

    public Task<bool> HasEligibleAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => inner.HasEligibleAsync(now, cancellationToken);

    public Task<ServerClockEstimate?> GetServerClockAsync(CancellationToken cancellationToken = default) => inner.GetServerClockAsync(cancellationToken);

    public Task SaveServerClockAsync(ServerClockEstimate estimate, CancellationToken cancellationToken = default) =>
        inner.SaveServerClockAsync(estimate, cancellationToken);

    public Task<int> PruneSucceededAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
        inner.PruneSucceededAsync(olderThan, cancellationToken);

    public Task<Operation?> ResolveConflictAsync(string id, ConflictResolution resolution, string? mergedPayloadJson, CancellationToken cancellationToken = default) =>
        inner.ResolveConflictAsync(id, resolution, mergedPayloadJson, cancellationToken);

    public Task<QueueCounts> GetCountsAsync(CancellationToken cancellationToken = default) => inner.GetCountsAsync(cancellationToken);

    public Task<bool> TryAcquireLeaseAsync(string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.TryAcquireLeaseAsync(owner, duration, now, cancellationToken);

    public Task ReleaseLeaseAsync(string owner, CancellationToken cancellationToken = default) => inner.ReleaseLeaseAsync(owner, cancellationToken);

    public Task<long> GetChangeStampAsync(CancellationToken cancellationToken = default) => inner.GetChangeStampAsync(cancellationToken);

    public Stream? OpenBlob(string sha256) => inner.OpenBlob(sha256);
}
