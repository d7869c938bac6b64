using System.Globalization;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync;

public sealed partial class SyncEngine
{
    /// <summary>
    /// Claims, sends and records batches until nothing is eligible or a whole-request failure says to stop.
    /// Exactly one FlushStarted/FlushCompleted pair and one progress begin/end per flush.
    /// </summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!await store.HasEligibleAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var counts = await store.GetCountsAsync(cancellationToken).ConfigureAwait(false);
        var expected = (int)Math.Clamp(counts.Pending, 1, int.MaxValue);
        var flushId = Guid.NewGuid().ToString("N");
        var totals = new FlushTotals();
        var beginMessage = string.Create(CultureInfo.InvariantCulture, $"Syncing {expected} operation{(expected == 1 ? "" : "s")}…");
        SetSyncing(true);
        Raise(SyncEventRaised, new SyncEvent(SyncEventKind.FlushStarted, [], beginMessage, Total: expected));
        Raise(ProgressReported, new SyncProgress(flushId, SyncProgressKind.Begin, beginMessage, 0, expected));
        try
        {
            while (!cancellationToken.IsCancellationRequested && CanFlushAt(time.GetUtcNow()))
            {
                var batch = await store.ClaimEligibleAsync(Math.Max(1, options.BatchSize), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }

                var delivery = await DeliverAsync(batch, policy.Classifier, cancellationToken).ConfigureAwait(false);
                // Once the server answered, its answer is recorded even if we are stopping: it cannot be asked again for free.
                await store.ApplyOutcomesAsync(delivery.Outcomes, CancellationToken.None).ConfigureAwait(false);
                totals.Add(delivery.Outcomes);
                RaiseOutcomeEvents(delivery.Outcomes);
                expected = Math.Max(expected, totals.Sent);
                Raise(ProgressReported, new SyncProgress(flushId, SyncProgressKind.Report, string.Create(CultureInfo.InvariantCulture, $"Synced {totals.Sent} of {expected}"), totals.Sent, expected));
                await watcher.CheckAsync(cancellationToken).ConfigureAwait(false);
                if (!React(delivery.StoppedBy))
                {
                    break;
                }
            }
        }
        finally
        {
            var summary = totals.Summary();
            Raise(ProgressReported, new SyncProgress(flushId, SyncProgressKind.End, summary, totals.Sent, Math.Max(expected, totals.Sent)));
            Raise(SyncEventRaised, new SyncEvent(SyncEventKind.FlushCompleted, [], summary, totals.Sent, totals.Applied, totals.Failed, totals.Conflicts));
            SetSyncing(false);
        }

        await PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one batch. A batch the server refuses as a whole for its size or shape is halved and resent, so one
    /// bad operation fails alone instead of taking its neighbours with it.
    /// </summary>
    private async Task<BatchDelivery> DeliverAsync(IReadOnlyList<Operation> batch, OutcomeClassifier classifier, CancellationToken cancellationToken)
    {
        var current = options;
        var startedAt = time.GetUtcNow();
        var result = await transport!.SendBatchAsync(store.WorkspaceId, current.ClientId, token, batch, cancellationToken).ConfigureAwait(false);
        var finishedAt = time.GetUtcNow();
        if (result.Kind is SendBatchResultKind.TooLarge or SendBatchResultKind.BadRequest && batch.Count > 1)
        {
            var half = batch.Count / 2;
            var first = await DeliverAsync(batch.Take(half).ToList(), classifier, cancellationToken).ConfigureAwait(false);
            var rest = batch.Skip(half).ToList();
            var second = first.StoppedBy is { } stop
                ? new BatchDelivery(classifier.Classify(rest, stop, startedAt, time.GetUtcNow()), stop)
                : await DeliverAsync(rest, classifier, cancellationToken).ConfigureAwait(false);
            return new BatchDelivery([.. first.Outcomes, .. second.Outcomes], first.StoppedBy ?? second.StoppedBy);
        }

        var stopsFlush = result.Kind is not (SendBatchResultKind.Ok or SendBatchResultKind.TooLarge or SendBatchResultKind.BadRequest);
        if (!stopsFlush)
        {
            NoteServerAnswered(finishedAt);
        }

        return new BatchDelivery(classifier.Classify(batch, result, startedAt, finishedAt), stopsFlush ? result : null);
    }

    private void NoteServerAnswered(DateTimeOffset at)
    {
        consecutiveRequestFailures = 0;
        monitor.RequestSucceeded();
        lastSyncedAt = at;
        lastError = null;
    }

    /// <summary>Applies a whole-request failure to the engine. False when the flush must stop.</summary>
    private bool React(SendBatchResult? stoppedBy)
    {
        if (stoppedBy is null)
        {
            PublishState();
            return true;
        }

        var error = OutcomeClassifier.RequestError(stoppedBy);
        var now = time.GetUtcNow();
        switch (stoppedBy.Kind)
        {
            case SendBatchResultKind.AuthFailed:
                monitor.AuthFailed();
                Log(SyncLogLevel.Warning, "the sync server refused our credentials: sync paused until new ones are set");
                Raise(SyncEventRaised, new SyncEvent(SyncEventKind.AuthRequired, [], error.Message));
                break;
            case SendBatchResultKind.ServerError when stoppedBy.ServerDown:
                // A 5xx says the server is not serving: show it unreachable at once and let the health probe say
                // when it is back. The hold still applies after a good probe, so its Retry-After is honoured.
                HoldQueue(stoppedBy, now, error);
                monitor.RequestFailed();
                Log(SyncLogLevel.Warning, "sync server not serving: " + error.Message);
                break;
            case SendBatchResultKind.Throttled:
            case SendBatchResultKind.ServerError:
                // The server answers (429: it asks us to slow down), so we stay online and only hold off.
                HoldQueue(stoppedBy, now, error);
                break;
            default:
                monitor.RequestFailed();
                Log(SyncLogLevel.Warning, "sync server unreachable: " + error.Message);
                break;
        }

        lastError = error;
        PublishState();
        return false;
    }

    /// <summary>The whole queue holds off, not only the batch: its neighbours would meet the same server.</summary>
    private void HoldQueue(SendBatchResult stoppedBy, DateTimeOffset now, OperationError error)
    {
        consecutiveRequestFailures++;
        holdUntil = now + policy.Schedule.NextDelay(consecutiveRequestFailures, stoppedBy.RetryAfter);
        Log(SyncLogLevel.Warning, $"{error.Message}; holding off until {holdUntil:O}");
    }

    private void RaiseOutcomeEvents(IReadOnlyList<OperationOutcome> outcomes)
    {
        List<string>? failed = null;
        List<string>? conflicts = null;
        OperationError? firstFailure = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.NewStatus == OperationStatus.Failed)
            {
                (failed ??= []).Add(outcome.Id);
                firstFailure ??= outcome.Error;
            }
            else if (outcome.NewStatus == OperationStatus.Conflict)
            {
                (conflicts ??= []).Add(outcome.Id);
            }
        }

        if (failed is not null)
        {
            Raise(SyncEventRaised, new SyncEvent(SyncEventKind.OperationFailed, failed, firstFailure?.Message, Total: failed.Count, Failed: failed.Count));
        }

        if (conflicts is not null)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"{conflicts.Count} operation{(conflicts.Count == 1 ? "" : "s")} conflict with the server's copy");
            Raise(SyncEventRaised, new SyncEvent(SyncEventKind.ConflictDetected, conflicts, message, Total: conflicts.Count, Conflicts: conflicts.Count));
        }
    }

    private void SetSyncing(bool value)
    {
        syncing = value;
        PublishState();
    }
}
