using System.Globalization;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync;

public sealed partial class SyncEngine
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Claims, sends and records batches until nothing is eligible or a whole-request failure says to stop.
    /// Up to <see cref="SyncOptions.MaxBatchesInFlight"/> batches are on the wire at once; answers are recorded in
    /// send order. Exactly one FlushStarted/FlushCompleted pair and one progress begin/end per flush.
    /// </summary>
    /// <returns>False when there was nothing to send.</returns>
    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (!await store.HasEligibleAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var counts = await store.GetCountsAsync(cancellationToken).ConfigureAwait(false);
        var expected = (int)Math.Clamp(counts.Pending, 1, int.MaxValue);
        var flushId = Guid.NewGuid().ToString("N");
        var totals = new FlushTotals();
        var beginMessage = string.Create(CultureInfo.InvariantCulture, $"Syncing {expected} operation{(expected == 1 ? "" : "s")}…");
        SetSyncing(true);
        Raise(SyncEventRaised, new SyncEvent(SyncEventKind.FlushStarted, [], beginMessage, Total: expected));
        Raise(ProgressReported, new SyncProgress(flushId, SyncProgressKind.Begin, beginMessage, 0, expected));
        var flight = new FlushFlight(Math.Max(1, options.MaxBatchesInFlight));
        DateTimeOffset? nextReportAt = null;
        try
        {
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
                    ? flight.Claim = store.ClaimEligibleAsync(claimBatches * BatchSize, time.GetUtcNow(), cancellationToken)
                    : null;
                await recording.ConfigureAwait(false);
                foreach (var answer in answers)
                {
                    totals.Add(answer.Outcomes);
                    RaiseOutcomeEvents(answer.Outcomes);
                }

                expected = Math.Max(expected, totals.Sent);
                var now = steady.GetUtcNow();
                if (!(now < nextReportAt))
                {
                    // Hundreds of batches a second would mean hundreds of notifications nobody can read: the first
                    // batch reports at once, later ones at most once per ReportInterval (the end always reports).
                    nextReportAt = now + ReportInterval;
                    Raise(ProgressReported, new SyncProgress(flushId, SyncProgressKind.Report, string.Create(CultureInfo.InvariantCulture, $"Synced {totals.Sent} of {expected}"), totals.Sent, expected));
                    await watcher.CheckAsync(cancellationToken).ConfigureAwait(false);
                }

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
        finally
        {
            await SettleAsync(flight).ConfigureAwait(false);
            var summary = totals.Summary();
            Raise(ProgressReported, new SyncProgress(flushId, SyncProgressKind.End, summary, totals.Sent, Math.Max(expected, totals.Sent)));
            Raise(SyncEventRaised, new SyncEvent(SyncEventKind.FlushCompleted, [], summary, totals.Sent, totals.Applied, totals.Failed, totals.Conflicts));
            SetSyncing(false);
        }

        // Counts after the batches whose report was skipped (this process's own commits raise the store's Changed anyway).
        await watcher.CheckAsync(cancellationToken).ConfigureAwait(false);
        await PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private int BatchSize => Math.Max(1, options.BatchSize);

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
                NoteServerAnswered(answeredAt);
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
            PublishState();
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

            if (!React(answer.StoppedBy, answer.Credentials))
            {
                flight.Stopped = true;
            }
        }
    }

    /// <summary>Splits one claim of up to <paramref name="batches"/> batches into batches, oldest first, and sends them.</summary>
    private async Task LaunchClaimedAsync(FlushFlight flight, IReadOnlyList<Operation> claimed, int batches, CancellationToken cancellationToken)
    {
        var size = BatchSize;
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
        !flight.Stopped && !cancellationToken.IsCancellationRequested && CanFlushAt(steady.GetUtcNow());

    /// <summary>Claims and sends batches one after another until the pipeline is full or nothing is eligible.</summary>
    private async Task TopUpAsync(FlushFlight flight, CancellationToken cancellationToken)
    {
        while (flight.HasRoom && !flight.Exhausted && MaySend(flight, cancellationToken))
        {
            var claim = flight.Claim = store.ClaimEligibleAsync(BatchSize, time.GetUtcNow(), cancellationToken);
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
        flight.Exhausted = batch.Count < BatchSize;
        flight.Add(batch, DeliverUnexpiredAsync(transport!, batch, policy.Classifier, cancellationToken));
    }

    /// <summary>
    /// Fails the operations whose expiry passed instead of sending them (code expired, no attempt: nothing was sent),
    /// and sends the rest. The expiry is checked here, when the worker would send, so an operation kept offline past
    /// it never reaches the server.
    /// </summary>
    private async Task<BatchDelivery> DeliverUnexpiredAsync(ISyncTransport sender, IReadOnlyList<Operation> batch, OutcomeClassifier classifier, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!batch.Any(o => o.ExpiresAt <= now))
        {
            return await DeliverAsync(sender, batch, classifier, cancellationToken).ConfigureAwait(false);
        }

        var expired = new List<OperationOutcome>();
        var live = new List<Operation>(batch.Count);
        foreach (var operation in batch)
        {
            if (operation.ExpiresAt is { } expiresAt && expiresAt <= now)
            {
                expired.Add(OutcomeClassifier.Expired(operation, expiresAt, now));
                Log(SyncLogLevel.Info, $"{Describe(operation)} expired at {expiresAt:O} before it could be delivered: failed, not sent");
            }
            else
            {
                live.Add(operation);
            }
        }

        if (live.Count == 0)
        {
            return new BatchDelivery(expired, null, null, Volatile.Read(ref credentialsGeneration));
        }

        var delivered = await DeliverAsync(sender, live, classifier, cancellationToken).ConfigureAwait(false);
        return delivered with { Outcomes = [.. expired, .. delivered.Outcomes] };
    }

    /// <summary>
    /// One line per operation that carries a client trace id: support finds every delivery of it by that id. Operations
    /// without one are summed up by the flush's own lines (a line each would cost the drain of large queues).
    /// </summary>
    private void LogTraced(IReadOnlyList<Operation> batch, IReadOnlyList<OperationOutcome> outcomes)
    {
        foreach (var operation in batch)
        {
            if (operation.ClientTraceId is not null && outcomes.FirstOrDefault(o => o.Id == operation.Id) is { } outcome)
            {
                var error = outcome.Error is { } e ? $" ({e.Code}: {e.Message})" : "";
                Log(SyncLogLevel.Info, $"{Describe(operation)} sent: {outcome.AttemptOutcome}, now {OperationWords.Of(outcome.NewStatus)}{error}");
            }
        }
    }

    /// <summary>How log lines name an operation: its id, and the caller's trace id when it gave one (for support).</summary>
    internal static string Describe(Operation operation) =>
        operation.ClientTraceId is { } trace ? $"operation {operation.Id} (trace {trace})" : $"operation {operation.Id}";

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
                Log(SyncLogLevel.Warning, "a batch in flight failed while the flush was ending: " + exception.Message);
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
            await store.ReleaseUnsentAsync(batch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log(SyncLogLevel.Warning, "could not put unsent operations back to pending: " + exception.Message);
        }
    }

    /// <summary>
    /// Sends one batch; runs beside other batches' sends, so it touches no engine state (the flush loop records the
    /// answer). A batch the server refuses as a whole for its size or shape is halved and resent, so one
    /// bad operation fails alone instead of taking its neighbours with it.
    /// </summary>
    /// <param name="uploaded">The batch's attachments are on the server already (halves of a batch that was refused).</param>
    private async Task<BatchDelivery> DeliverAsync(
        ISyncTransport sender, IReadOnlyList<Operation> batch, OutcomeClassifier classifier, CancellationToken cancellationToken, bool uploaded = false)
    {
        var current = options;
        var startedAt = time.GetUtcNow();
        var credentials = Volatile.Read(ref credentialsGeneration);
        var workspaceId = ServerWorkspace;
        var result = (uploaded ? null : await uploader.UploadAsync(sender, workspaceId, token, batch, cancellationToken).ConfigureAwait(false))
            ?? await sender.SendBatchAsync(workspaceId, current.ClientId, token, batch, cancellationToken).ConfigureAwait(false);
        var finishedAt = time.GetUtcNow();
        if (result.Kind is SendBatchResultKind.TooLarge or SendBatchResultKind.BadRequest && batch.Count > 1)
        {
            var half = batch.Count / 2;
            var first = await DeliverAsync(sender, batch.Take(half).ToList(), classifier, cancellationToken, uploaded: true).ConfigureAwait(false);
            var rest = batch.Skip(half).ToList();
            var second = first.StoppedBy is { } stop
                ? new BatchDelivery(classifier.Classify(rest, stop, startedAt, time.GetUtcNow()), stop, null)
                : await DeliverAsync(sender, rest, classifier, cancellationToken, uploaded: true).ConfigureAwait(false);
            return new BatchDelivery([.. first.Outcomes, .. second.Outcomes], first.StoppedBy ?? second.StoppedBy, second.AnsweredAt ?? first.AnsweredAt, credentials);
        }

        var stopsFlush = result.Kind is not (SendBatchResultKind.Ok or SendBatchResultKind.TooLarge or SendBatchResultKind.BadRequest);
        var outcomes = classifier.Classify(batch, result, startedAt, finishedAt);
        // A document conflict whose changes do not overlap is merged here and goes back out on the server's version.
        outcomes = await merger.MergeAsync(batch, outcomes, cancellationToken).ConfigureAwait(false);
        LogTraced(batch, outcomes);
        return new BatchDelivery(outcomes, stopsFlush ? result : null, stopsFlush ? null : finishedAt, credentials);
    }

    private void NoteServerAnswered(DateTimeOffset at)
    {
        consecutiveRequestFailures = 0;
        monitor.RequestSucceeded();
        lastSyncedAt = at;
        lastSyncedTimestamp = time.GetTimestamp();
        lastError = null;
    }

    /// <summary>
    /// Applies a whole-request failure to the engine. False when the flush must stop. A refusal of credentials that have
    /// been replaced since the request left (generation <paramref name="credentials"/>) asks for nobody to sign in: the
    /// work goes out again with the new ones.
    /// </summary>
    private bool React(SendBatchResult? stoppedBy, long credentials)
    {
        if (stoppedBy is null)
        {
            PublishState();
            return true;
        }

        var error = OutcomeClassifier.RequestError(stoppedBy);
        var now = steady.GetUtcNow();
        switch (stoppedBy.Kind)
        {
            case SendBatchResultKind.AuthFailed when credentials != Volatile.Read(ref credentialsGeneration):
                Log(SyncLogLevel.Debug, "a request sent with the previous credentials was refused; sending again with the new ones");
                Wake();
                pulls?.Schedule.Request();
                return false;
            case SendBatchResultKind.AuthFailed:
                monitor.AuthFailed();
                Log(SyncLogLevel.Warning, "the sync server refused our credentials: sync paused until new ones are set");
                Raise(SyncEventRaised, new SyncEvent(SyncEventKind.AuthRequired, [], error.Message));
                break;
            case SendBatchResultKind.Forbidden:
                // Valid credentials, refused anyway: signing in again is no fix. The queue keeps everything (these
                // operations went back to pending without an attempt) and access probes say when it is back.
                if (monitor.AccessRevoked())
                {
                    Log(SyncLogLevel.Warning, "the sync server refuses access (403): sending paused, the queue is kept; probing until access is back");
                    Raise(SyncEventRaised, new SyncEvent(SyncEventKind.AccessRevoked, [], error.Message));
                }

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
        Log(SyncLogLevel.Warning, $"{error.Message}; holding off for {(holdUntil - now)?.TotalSeconds:0.#} s");
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
