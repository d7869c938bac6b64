using OfflineSidecar.Core.Connectivity;
using OfflineSidecar.Core.Sync.Pull;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// The loop's requests that send no work: the health probe when one is due, the access probe while access is revoked,
/// and whoami before anything is sent with new credentials. Their answers go through <see cref="RequestReactions"/>.
/// </summary>
internal sealed class ServerChecks(
    ConnectivityMonitor monitor,
    RequestReactions reactions,
    SyncCredentials credentials,
    SyncRequests requests,
    SyncNotifier notifier,
    PullScheduler? pulls,
    TimeProvider time,
    TimeProvider steady,
    SyncLog log)
{
    /// <summary>Probes when the monitor says one is due. True when the server is reachable (or allowed) again.</summary>
    public async Task<bool> ProbeIfDueAsync(ISyncTransport? transport, CancellationToken cancellationToken)
    {
        if (transport is null || !(monitor.NextProbeAt <= steady.GetUtcNow()))
        {
            return false;
        }

        if (monitor.Current == Connectivity.AccessRevoked)
        {
            return await ProbeAccessAsync(transport, cancellationToken).ConfigureAwait(false);
        }

        if (await transport.ProbeAsync(cancellationToken).ConfigureAwait(false))
        {
            monitor.ProbeSucceeded();
            pulls?.Request();
            log.Write(SyncLogLevel.Info, "sync server reachable");
            return true;
        }

        monitor.ProbeFailed();
        log.Write(SyncLogLevel.Debug, "sync server not answering its health check");
        return false;
    }

    /// <summary>
    /// Asks GET /sync/whoami whose the credentials are before anything is sent with them: the host keeps each
    /// account's work apart by the answer. False when the server could not be asked (the step ends; the usual reaction
    /// to a failed request decides when to try again).
    /// </summary>
    public async Task<bool> IdentifyAccountIfWantedAsync(ISyncTransport? transport, bool held, CancellationToken cancellationToken)
    {
        // Every window asks, not only the one that sends: each one's session must open the account's partition.
        if (!requests.IsAccountWanted || transport is null || !monitor.CanSend || held)
        {
            return true;
        }

        var generation = credentials.Generation;
        var asked = credentials.Token;
        var answer = await transport.GetAccountAsync(asked, cancellationToken).ConfigureAwait(false);
        switch (answer.Kind)
        {
            case ServerReadKind.Ok:
                if (generation == credentials.Generation)
                {
                    requests.AccountKnown();
                    reactions.ServerAnswered(time.GetUtcNow());
                    log.Write(SyncLogLevel.Debug, "the credentials act for account " + answer.Value);
                    notifier.Account(new AccountIdentity(asked, answer.Value!));
                }

                return true;
            case ServerReadKind.NotFound:
                // A server without accounts: the credentials alone keep work apart.
                requests.AccountKnown();
                return true;
            case ServerReadKind.Failed when answer.Failure is { } failure:
                reactions.React(failure, generation);
                return false;
            default:
                requests.AccountKnown();
                log.Write(SyncLogLevel.Warning, "the server's whoami answer could not be used: " + answer.Message);
                return true;
        }
    }

    /// <summary>
    /// Asks GET /sync/whoami whether our credentials may act again: a bearer request that sends nothing, so a refusal
    /// costs no operation an attempt. A server without whoami (404) cannot say: sending resumes, and its first batch
    /// (one, while the pipeline opens) tells; a 403 there is recorded without an attempt too.
    /// </summary>
    private async Task<bool> ProbeAccessAsync(ISyncTransport transport, CancellationToken cancellationToken)
    {
        var generation = credentials.Generation;
        var answer = await transport.GetAccountAsync(credentials.Token, cancellationToken).ConfigureAwait(false);
        if (answer.Kind != ServerReadKind.Failed)
        {
            monitor.AccessRestored();
            pulls?.Request();
            requests.FlushAtNextStep();
            log.Write(SyncLogLevel.Info, "access to the sync server is back: sending resumes");
            return true;
        }

        if (answer.Failure is { Kind: SendBatchResultKind.AuthFailed } refused)
        {
            // The credentials themselves are refused now: that asks for a sign-in, and the access probe follows it.
            reactions.React(refused, generation);
            return false;
        }

        // Still 403, or no answer: the next access probe backs off either way.
        monitor.AccessRevoked();
        log.Write(SyncLogLevel.Debug, "access to the sync server is still refused: " + answer.Message);
        return false;
    }
}
