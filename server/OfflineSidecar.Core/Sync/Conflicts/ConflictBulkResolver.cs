using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Sync.Conflicts;

/// <summary>
/// Resolve All, for a long offline period that comes back with many conflicts: every conflict of the workspace resolved
/// the same way, one by one through the engine (as the user would), in delivery order, a page at a time.
/// </summary>
public sealed class ConflictBulkResolver(IOperationQueue queue, ISyncEngine engine, ConflictMerger merger)
{
    private const int PageSize = 200;

    public async Task<BulkResolveResult> ResolveAllAsync(BulkResolution resolution, CancellationToken cancellationToken = default)
    {
        var resolved = 0;
        string? cursor = null;
        do
        {
            var page = await queue.ListAsync(new ListQuery([OperationStatus.Conflict], null, cursor, PageSize), cancellationToken).ConfigureAwait(false);
            foreach (var operation in page.Items)
            {
                if (await TryResolveAsync(operation.Id, resolution, cancellationToken).ConfigureAwait(false))
                {
                    resolved++;
                }
            }

            // The cursor is a position in delivery order: operations resolved on this page leave it without moving later ones.
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var remaining = (await queue.GetCountsAsync(cancellationToken).ConfigureAwait(false)).Conflict;
        return new BulkResolveResult(resolved, remaining);
    }

    private async Task<bool> TryResolveAsync(string id, BulkResolution resolution, CancellationToken cancellationToken)
    {
        try
        {
            switch (resolution)
            {
                case BulkResolution.KeepLocal:
                    await engine.ResolveConflictAsync(id, ConflictResolution.KeepLocal, null, cancellationToken).ConfigureAwait(false);
                    return true;
                case BulkResolution.TakeServer:
                    await engine.ResolveConflictAsync(id, ConflictResolution.TakeServer, null, cancellationToken).ConfigureAwait(false);
                    return true;
                default:
                    if (await queue.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { Conflict: { } snapshot } details
                        || await merger.TryMergeAsync(details.Operation, snapshot, cancellationToken).ConfigureAwait(false) is not { } merge)
                    {
                        return false;
                    }

                    await engine.ResolveConflictAsync(id, ConflictResolution.Merge, merge.MergedPayloadJson, cancellationToken).ConfigureAwait(false);
                    return true;
            }
        }
        catch (QueueException refusal) when (refusal.Kind is QueueErrorKind.NotFound or QueueErrorKind.InvalidState)
        {
            // Resolved or discarded meanwhile (another window, the user).
            return false;
        }
    }
}
