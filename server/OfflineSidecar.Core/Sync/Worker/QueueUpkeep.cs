namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// The flusher's housekeeping of the shared queue: puts back what an interrupted flusher left syncing, and prunes
/// succeeded operations past their retention (at most every <see cref="PruneEvery"/>).
/// </summary>
internal sealed class QueueUpkeep(ISyncStore store, SyncSettings settings, TimeProvider time, TimeProvider steady, FlusherLease lease, SyncLog log)
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    private DateTimeOffset? lastPruneAt;

    public async Task RecoverAndPruneAsync(CancellationToken cancellationToken)
    {
        var recovered = await store.RecoverInterruptedAsync(cancellationToken).ConfigureAwait(false);
        if (recovered > 0)
        {
            log.Write(SyncLogLevel.Info, $"{recovered} interrupted operations are pending again");
        }

        await PruneAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        if (lastPruneAt is { } last && steady.GetUtcNow() - last < PruneEvery)
        {
            return;
        }

        await PruneAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a step failed unexpectedly: nothing is in flight between steps, so what this leader left syncing was abandoned.</summary>
    public async Task RecoverAfterFaultAsync(CancellationToken cancellationToken)
    {
        if (!lease.IsLeader)
        {
            return;
        }

        try
        {
            await store.RecoverInterruptedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
        {
            log.Write(SyncLogLevel.Warning, "recovery after a fault failed: " + exception.Message);
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        lastPruneAt = steady.GetUtcNow();
        var pruned = await store.PruneSucceededAsync(time.GetUtcNow() - settings.Options.SucceededRetention, cancellationToken).ConfigureAwait(false);
        if (pruned > 0)
        {
            log.Write(SyncLogLevel.Debug, $"pruned {pruned} succeeded operations");
        }
    }
}
