using System.Globalization;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>
/// One flush: claims, sends and records batches until nothing is eligible, the owner no longer allows sending, or a
/// whole-request failure says to stop. Up to <see cref="SyncOptions.MaxBatchesInFlight"/> batches are on the wire at
/// once; answers are recorded in send order. Owns the batches in flight and the flush's progress: exactly one
/// FlushStarted/FlushCompleted pair and one progress begin/end per run that found work. Used once.
/// </summary>
internal sealed class FlushRun(FlushServices services, ISyncTransport transport, IFlushOwner owner)
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    private readonly FlushTotals totals = new();
    private readonly string flushId = Guid.NewGuid().ToString("N");
    private SendBatchResult? stoppedBy;
    private long stoppedWith;
    private int expected;
    private DateTimeOffset? nextReportAt;

    public async Task<FlushResult> RunAsync(CancellationToken cancellationToken)
    {
        var store = services.Store;
        var startedWith = services.Credentials.Generation;
        if (!await store.HasEligibleAsync(services.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return new FlushResult(FlushEnd.NothingToSend, totals, null, startedWith);
        }

        var counts = await store.GetCountsAsync(cancellationToken).ConfigureAwait(false);
        expected = (int)Math.Clamp(counts.Pending, 1, int.MaxValue);
        Begin();
        var flight = new FlushFlight(Math.Max(1, services.Settings.Options.MaxBatchesInFlight));
        try
        {
            await PipelineAsync(flight, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await SettleAsync(flight).ConfigureAwait(false);
            End();
        }

        // Counts after the batches whose report was skipped (this process's own commits raise the store's Changed anyway).
        await services.Watcher.CheckAsync(cancellationToken).ConfigureAwait(false);
        // With nothing in flight, the pipeline ends either because the last claim found nothing more or because the
        // owner no longer allowed claiming.
        var end = flight.Stopped ? FlushEnd.StoppedByServer : flight.Exhausted ? FlushEnd.Drained : FlushEnd.NoLongerAllowed;
        return new FlushResult(end, totals, stoppedBy, stoppedBy is null ? startedWith : stoppedWith);
    }

    private void Begin()
    {
        var message = string.Create(CultureInfo.InvariantCulture, $"Syncing {expected} operation{(expected == 1 ? "" : "s")}…");
        SetSyncing(true);
        services.Notifier.Raise(new SyncEvent(SyncEventKind.FlushStarted, [], message, Total: expected));
        services.Notifier.Report(new SyncProgress(flushId, SyncProgressKind.Begin, message, 0, expected));
    }

    private void End()
    {
        var summary = totals.Summary();
        services.Notifier.Report(new SyncProgress(flushId, SyncProgressKind.End, summary, totals.Sent, Math.Max(expected, totals.Sent)));
        services.Notifier.Raise(new SyncEvent(SyncEventKind.FlushCompleted, [], summary, totals.Sent, totals.Applied, totals.Failed, totals.Conflicts));
        SetSyncing(false);
    }

    private void SetSyncing(bool value)
    {
        services.Status.Syncing = value;
        services.Notifier.Publish();
    }

    private async Task PipelineAsync(FlushFlight flight, CancellationToken cancellationToken)
    {
        var store = services.Store;
        await TopUpAsync(flight, cancellationToken).ConfigureAwait(false);
        var answers = new List<BatchDelivery>(flight.Depth);
        while (flight.TryTakeOldest(out var sending, out var sent))
        {
            answers.Clear();
            answers.Add(await AwaitDeliveryAsync(sending, sent).ConfigureAwait(false));
            // Answers that are already back (in send order) are recorded together with this one: when the writer is
            // the bottleneck they pile up, and one transaction for all of them writes each touched page once
            // instead of once per batch. A send that failed or was cancelled stays queued for the next round.
            while (flight.TryTakeOldestAnswered(out var answered))
            {
                answers.Add(answered);
            }

            var stopped = NoteAnswers(flight, answers);
            // Recording the answers and claiming the batches that refill the pipeline go to the store's writer
            // together, record first, so its group commit makes them one transaction (one fsync) and the claim
            // already sees the heads these answers promoted. One claim fills every free slot: claiming n × batch
            // at once takes exactly what n claims in a row would.
            var claimBatches = !stopped && MaySend(flight, cancellationToken) ? flight.Room : 0;
            var outcomes = answers.Count == 1 ? answers[0].Outcomes : [.. answers.SelectMany(static a => a.Outcomes)];
            // Once the server answered, its answer is recorded even if we are stopping: it cannot be asked again for free.
            var recording = store.ApplyOutcomesAsync(outcomes, CancellationToken.None);
            var next = claimBatches > 0
                ? flight.Claim = store.ClaimEligibleAsync(claimBatches * services.BatchSize, services.Time.GetUtcNow(), cancellationToken)
                : null;
            await recording.ConfigureAwait(false);
            foreach (var answer in answers)
            {
                totals.Add(answer.Outcomes);
                RaiseOutcomeEvents(answer.Outcomes);
            }

            await ReportAsync(cancellationToken).ConfigureAwait(false);
            ReactToAnswers(flight, answers);
            if (next is not null)
            {
                var claimed = await next.ConfigureAwait(false);
                flight.Claim = null;
                await LaunchClaimedAsync(flight, claimed, claimBatches, cancellationToken).ConfigureAwait(false);
            }

            await TopUpAsync(flight, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        expected = Math.Max(expected, totals.Sent);
        var now = services.Steady.GetUtcNow();
        if (now < nextReportAt)
        {
            return;
        }

        // Hundreds of batches a second would mean hundreds of notifications nobody can read: the first batch reports
        // at once, later ones at most once per ReportInterval (the end always reports).
        nextReportAt = now + ReportInterval;
        services.Notifier.Report(new SyncProgress(flushId, SyncProgressKind.Report, string.Create(CultureInfo.InvariantCulture, $"Synced {totals.Sent} of {expected}"), totals.Sent, expected));
        await services.Watcher.CheckAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The part of the answers that must come before their record: the server answered (unless an earlier failure
    /// already stopped the flush), and a normal answer opens the pipeline. True when one of them stops the flush, so
    /// nothing new is claimed with their record.
    /// </summary>
    private bool NoteAnswers(FlushFlight flight, List<BatchDelivery> answers)
    {
        var stopped = false;
        var heeded = !flight.Stopped;
        var answered = false;
        foreach (var answer in answers)
        {
            // After a stop, answers to batches that were already on the wire are only recorded: the engine's view of
            // the server (and its backoff) follows the first failure, as if the batches had gone one at a time.
            if (heeded && answer.AnsweredAt is { } answeredAt)
            {
                owner.ServerAnswered(answeredAt);
                answered = true;
            }

            if (answer.StoppedBy is null)
            {
                flight.Open();
            }
            else
            {
                stopped = true;
                heeded = false;
            }
        }

        if (answered)
        {
            // Shown before the answers are recorded, so nobody reads an operation as succeeded while the state still
            // carries the error the server's silence left.
            services.Notifier.Publish();
        }

        return stopped;
    }

    /// <summary>After the record: the first whole-request failure among the answers stops the flush (see NoteAnswers).</summary>
    private void ReactToAnswers(FlushFlight flight, List<BatchDelivery> answers)
    {
        foreach (var answer in answers)
        {
            if (flight.Stopped)
            {
                return;
            }

            if (answer.StoppedBy is not { } stop)
            {
                services.Notifier.Publish();
                continue;
            }

            flight.Stopped = true;
            stoppedBy = stop;
            stoppedWith = answer.Credentials;
            owner.Stopped(stop, answer.Credentials);
        }
    }

    /// <summary>Splits one claim of up to <paramref name="batches"/> batches into batches, oldest first, and sends them.</summary>
    private async Task LaunchClaimedAsync(FlushFlight flight, IReadOnlyList<Operation> claimed, int batches, CancellationToken cancellationToken)
    {
        var size = services.BatchSize;
        if (claimed.Count <= size)
        {
            await LaunchAsync(flight, claimed, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var batch in claimed.Chunk(size))
            {
                await LaunchAsync(flight, batch, cancellationToken).ConfigureAwait(false);
            }
        }

        // Fewer than asked for: everything eligible was taken, even when the last batch happens to be full.
        if (claimed.Count < batches * size)
        {
            flight.Exhausted = true;
        }
    }

    /// <summary>A send cancelled mid-request leaves its batch pending again: the idempotency key makes a resend safe.</summary>
    private async Task<BatchDelivery> AwaitDeliveryAsync(Task<BatchDelivery> sending, IReadOnlyList<Operation> batch)
    {
        try
        {
            return await sending.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ReleaseUnsentAsync(batch).ConfigureAwait(false);
            throw;
        }
    }

    private bool MaySend(FlushFlight flight, CancellationToken cancellationToken) =>
        !flight.Stopped && !cancellationToken.IsCancellationRequested && owner.MaySend();

    /// <summary>Claims and sends batches one after another until the pipeline is full or nothing is eligible.</summary>
    private async Task TopUpAsync(FlushFlight flight, CancellationToken cancellationToken)
    {
        while (flight.HasRoom && !flight.Exhausted && MaySend(flight, cancellationToken))
        {
            var claim = flight.Claim = services.Store.ClaimEligibleAsync(services.BatchSize, services.Time.GetUtcNow(), cancellationToken);
            var batch = await claim.ConfigureAwait(false);
            flight.Claim = null;
            await LaunchAsync(flight, batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a freshly claimed batch, or puts it back untouched when the flush stopped since the claim.</summary>
    private async Task LaunchAsync(FlushFlight flight, IReadOnlyList<Operation> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            // Nothing eligible now; an answer still in flight may promote new heads, which the claim made with its
            // record then finds.
            flight.Exhausted = true;
            return;
        }

        if (!MaySend(flight, cancellationToken))
        {
            await ReleaseUnsentAsync(batch).ConfigureAwait(false);
            return;
        }

        // A short batch took everything eligible: claiming again before an answer promotes new heads finds nothing.
        flight.Exhausted = batch.Count < services.BatchSize;
        var delivery = new BatchSender(services, transport, services.Settings.Policy.Classifier);
        flight.Add(batch, delivery.DeliverUnexpiredAsync(batch, cancellationToken));
    }

    /// <summary>
    /// Leaves nothing behind when the flush ends early (cancelled, or a store failure): requests on the wire are waited
    /// for, so fault recovery cannot race them, and a claim whose batch was never sent goes back to pending.
    /// </summary>
    private async Task SettleAsync(FlushFlight flight)
    {
        if (flight.Claim is { } claim)
        {
            flight.Claim = null;
            try
            {
                await ReleaseUnsentAsync(await claim.ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Not claimed after all (cancelled or failed), or the store is failing: fault recovery puts syncing back.
            }
        }

        while (flight.TryTakeOldest(out var sending, out var batch))
        {
            try
            {
                await AwaitDeliveryAsync(sending, batch).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped mid-request and already put back.
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                services.Log.Write(SyncLogLevel.Warning, "a batch in flight failed while the flush was ending: " + exception.Message);
            }
        }
    }

    private async Task ReleaseUnsentAsync(IReadOnlyList<Operation> batch)
    {
        // Runs even when the lease is gone (going offline releases it): the store only moves rows still carrying this
        // claim's stamp, so a row another flusher recovered and claimed again is left alone.
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await services.Store.ReleaseUnsentAsync(batch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            services.Log.Write(SyncLogLevel.Warning, "could not put unsent operations back to pending: " + exception.Message);
        }
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
            services.Notifier.Raise(new SyncEvent(SyncEventKind.OperationFailed, failed, firstFailure?.Message, Total: failed.Count, Failed: failed.Count));
        }

        if (conflicts is not null)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"{conflicts.Count} operation{(conflicts.Count == 1 ? "" : "s")} conflict with the server's copy");
            services.Notifier.Raise(new SyncEvent(SyncEventKind.ConflictDetected, conflicts, message, Total: conflicts.Count, Conflicts: conflicts.Count));
        }
    }
}
