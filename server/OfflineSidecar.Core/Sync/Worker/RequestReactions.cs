using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Connectivity;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Core.Sync.Pull;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// How the engine reacts to the server's answer to any request (a batch, a pull page, whoami): an answer clears the
/// failure streak and the last error; a whole-request failure holds the queue, changes connectivity or asks for
/// credentials. The one place these decisions live; the loop and the flush it runs call it when an answer comes back.
/// </summary>
internal sealed class RequestReactions(
    ConnectivityMonitor monitor,
    SyncSchedule schedule,
    SyncStatus status,
    SyncNotifier notifier,
    SyncSettings settings,
    SyncCredentials credentials,
    SyncRequests requests,
    PullScheduler? pulls,
    TimeProvider time,
    TimeProvider steady,
    SyncLog log)
{
    /// <summary>The server answered usefully at <paramref name="at"/> (wall clock). The caller publishes the state.</summary>
    public void ServerAnswered(DateTimeOffset at)
    {
        schedule.ServerAnswered();
        monitor.RequestSucceeded();
        status.ServerAnswered(at);
    }

    public void SetLastError(OperationError? error)
    {
        status.LastError = error;
        notifier.Publish();
    }

    /// <summary>
    /// Applies a whole-request failure to the engine. False when the flush must stop. A refusal of credentials that have
    /// been replaced since the request left (generation <paramref name="sentWith"/>) asks for nobody to sign in: the
    /// work goes out again with the new ones.
    /// </summary>
    public bool React(SendBatchResult? stoppedBy, long sentWith)
    {
        if (stoppedBy is null)
        {
            notifier.Publish();
            return true;
        }

        var error = OutcomeClassifier.RequestError(stoppedBy);
        var now = steady.GetUtcNow();
        switch (stoppedBy.Kind)
        {
            case SendBatchResultKind.AuthFailed when sentWith != credentials.Generation:
                log.Write(SyncLogLevel.Debug, "a request sent with the previous credentials was refused; sending again with the new ones");
                requests.Flush();
                pulls?.Request();
                return false;
            case SendBatchResultKind.AuthFailed:
                monitor.AuthFailed();
                log.Write(SyncLogLevel.Warning, "the sync server refused our credentials: sync paused until new ones are set");
                notifier.Raise(new SyncEvent(SyncEventKind.AuthRequired, [], error.Message));
                break;
            case SendBatchResultKind.Forbidden:
                // Valid credentials, refused anyway: signing in again is no fix. The queue keeps everything (these
                // operations went back to pending without an attempt) and access probes say when it is back.
                if (monitor.AccessRevoked())
                {
                    log.Write(SyncLogLevel.Warning, "the sync server refuses access (403): sending paused, the queue is kept; probing until access is back");
                    notifier.Raise(new SyncEvent(SyncEventKind.AccessRevoked, [], error.Message));
                }

                break;
            case SendBatchResultKind.ServerError when stoppedBy.ServerDown:
                // A 5xx says the server is not serving: show it unreachable at once and let the health probe say
                // when it is back. The hold still applies after a good probe, so its Retry-After is honoured.
                HoldQueue(stoppedBy, now, error);
                monitor.RequestFailed();
                log.Write(SyncLogLevel.Warning, "sync server not serving: " + error.Message);
                break;
            case SendBatchResultKind.Throttled:
            case SendBatchResultKind.ServerError:
                // The server answers (429: it asks us to slow down), so we stay online and only hold off.
                HoldQueue(stoppedBy, now, error);
                break;
            default:
                monitor.RequestFailed();
                log.Write(SyncLogLevel.Warning, "sync server unreachable: " + error.Message);
                break;
        }

        SetLastError(error);
        return false;
    }

    /// <summary>The state follows a pull's outcome before anyone waiting for the pull hears it, so what they read next agrees.</summary>
    public void ReactToPull(PullOutcome outcome, long sentWith)
    {
        switch (outcome.Stop)
        {
            case PullStop.Complete:
                ServerAnswered(time.GetUtcNow());
                notifier.Publish();
                break;
            case PullStop.Failed when outcome.Failure is { } failure:
                React(failure, sentWith);
                break;
            case PullStop.Malformed:
                SetLastError(new OperationError(SyncErrorCodes.ServerAnswerRefused, "the server's changes could not be used: " + outcome.Problem));
                break;
        }
    }

    /// <summary>The whole queue holds off, not only the batch: its neighbours would meet the same server.</summary>
    private void HoldQueue(SendBatchResult stoppedBy, DateTimeOffset now, OperationError error)
    {
        var delay = schedule.Hold(now, settings.Policy.Schedule, stoppedBy.RetryAfter);
        log.Write(SyncLogLevel.Warning, $"{error.Message}; holding off for {delay.TotalSeconds:0.#} s");
    }
}
