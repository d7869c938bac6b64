using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>
/// Sends one claimed batch and classifies the answer. Runs beside other batches' sends, so it touches no engine state:
/// the <see cref="FlushRun"/> records what it hands back.
/// </summary>
internal sealed class BatchSender(FlushServices services, ISyncTransport transport, OutcomeClassifier classifier)
{
    /// <summary>How log lines name an operation: its id, and the caller's trace id when it gave one (for support).</summary>
    internal static string Describe(Operation operation) =>
        operation.ClientTraceId is { } trace ? $"operation {operation.Id} (trace {trace})" : $"operation {operation.Id}";

    /// <summary>
    /// Fails the operations whose expiry passed instead of sending them (code expired, no attempt: nothing was sent),
    /// and sends the rest. The expiry is checked here, when the worker would send, so an operation kept offline past
    /// it never reaches the server.
    /// </summary>
    public async Task<BatchDelivery> DeliverUnexpiredAsync(IReadOnlyList<Operation> batch, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        if (!batch.Any(o => o.ExpiresAt <= now))
        {
            return await DeliverAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        var expired = new List<OperationOutcome>();
        var live = new List<Operation>(batch.Count);
        foreach (var operation in batch)
        {
            if (operation.ExpiresAt is { } expiresAt && expiresAt <= now)
            {
                expired.Add(OutcomeClassifier.Expired(operation, expiresAt, now));
                services.Log.Write(SyncLogLevel.Info, $"{Describe(operation)} expired at {expiresAt:O} before it could be delivered: failed, not sent");
            }
            else
            {
                live.Add(operation);
            }
        }

        if (live.Count == 0)
        {
            return new BatchDelivery(expired, null, null, services.Credentials.Generation);
        }

        var delivered = await DeliverAsync(live, cancellationToken).ConfigureAwait(false);
        return delivered with { Outcomes = [.. expired, .. delivered.Outcomes] };
    }

    /// <summary>
    /// A batch the server refuses as a whole for its size or shape is halved and resent, so one bad operation fails
    /// alone instead of taking its neighbours with it.
    /// </summary>
    /// <param name="uploaded">The batch's attachments are on the server already (halves of a batch that was refused).</param>
    private async Task<BatchDelivery> DeliverAsync(IReadOnlyList<Operation> batch, CancellationToken cancellationToken, bool uploaded = false)
    {
        var current = services.Settings.Options;
        var time = services.Time;
        var startedAt = time.GetUtcNow();
        var credentials = services.Credentials.Generation;
        var token = services.Credentials.Token;
        var workspaceId = services.ServerWorkspace;
        var result = (uploaded ? null : await services.Uploader.UploadAsync(transport, workspaceId, token, batch, cancellationToken).ConfigureAwait(false))
            ?? await transport.SendBatchAsync(workspaceId, current.ClientId, token, batch, cancellationToken).ConfigureAwait(false);
        var finishedAt = time.GetUtcNow();
        if (result.Kind is SendBatchResultKind.TooLarge or SendBatchResultKind.BadRequest && batch.Count > 1)
        {
            var half = batch.Count / 2;
            var first = await DeliverAsync(batch.Take(half).ToList(), cancellationToken, uploaded: true).ConfigureAwait(false);
            var rest = batch.Skip(half).ToList();
            var second = first.StoppedBy is { } stop
                ? new BatchDelivery(classifier.Classify(rest, stop, startedAt, time.GetUtcNow()), stop, null)
                : await DeliverAsync(rest, cancellationToken, uploaded: true).ConfigureAwait(false);
            return new BatchDelivery([.. first.Outcomes, .. second.Outcomes], first.StoppedBy ?? second.StoppedBy, second.AnsweredAt ?? first.AnsweredAt, credentials);
        }

        var stopsFlush = result.Kind is not (SendBatchResultKind.Ok or SendBatchResultKind.TooLarge or SendBatchResultKind.BadRequest);
        var outcomes = classifier.Classify(batch, result, startedAt, finishedAt);
        // A document conflict whose changes do not overlap is merged here and goes back out on the server's version.
        outcomes = await services.Merger.MergeAsync(batch, outcomes, cancellationToken).ConfigureAwait(false);
        LogTraced(batch, outcomes);
        return new BatchDelivery(outcomes, stopsFlush ? result : null, stopsFlush ? null : finishedAt, credentials);
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
                services.Log.Write(SyncLogLevel.Info, $"{Describe(operation)} sent: {outcome.AttemptOutcome}, now {OperationWords.Of(outcome.NewStatus)}{error}");
            }
        }
    }
}
