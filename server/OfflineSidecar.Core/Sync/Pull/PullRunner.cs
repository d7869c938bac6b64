using System.Globalization;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Pull;

/// <summary>
/// Runs the worker's pulls: the pull itself (<see cref="CachePuller"/>), its progress when it turns out long (more than
/// one page), eviction when it brought something, and the schedule's bookkeeping. Run by the worker's loop only; the
/// loop reacts to a failed outcome as it does to a failed batch.
/// </summary>
internal sealed class PullRunner(ICacheStore cache, string serverWorkspaceId, TimeProvider time, Action<SyncProgress> progress, Action<SyncLogLevel, string> log)
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    private readonly CachePuller puller = new(cache, serverWorkspaceId);

    public PullScheduler Schedule { get; } = new();

    /// <param name="react">The worker's reaction to the outcome, run before the callers waiting for the pull hear it.</param>
    public async Task<PullOutcome> RunAsync(
        ISyncTransport transport, string? token, SyncOptions options, Func<bool> shouldYield, Action<PullOutcome> react, CancellationToken loop)
    {
        var cancellation = Schedule.Begin(loop);
        var report = new PullReport(string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():N}"), time, progress);
        PullOutcome outcome;
        try
        {
            outcome = await puller.RunAsync(transport, token, options.ServerUrl!.AbsoluteUri, shouldYield, report.Page, cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            report.End("Pull failed");
            Schedule.End(new PullOutcome(new PullResult(0, null, false), PullStop.Failed, Problem: exception.Message), time.GetUtcNow(), options.SyncInterval);
            throw;
        }

        report.End(outcome.Stop switch
        {
            PullStop.Complete => string.Create(CultureInfo.InvariantCulture, $"Pulled {outcome.Result.Pulled:N0} changes"),
            PullStop.Cancelled => string.Create(CultureInfo.InvariantCulture, $"Pull cancelled after {outcome.Result.Pulled:N0} changes (kept)"),
            _ => string.Create(CultureInfo.InvariantCulture, $"Pull stopped after {outcome.Result.Pulled:N0} changes (kept)"),
        });
        if (outcome.Result.Pulled > 0)
        {
            await EvictAsync(options.CacheMaxBytes).ConfigureAwait(false);
        }

        LogEnd(outcome);
        react(outcome);
        Schedule.End(outcome, time.GetUtcNow(), options.SyncInterval);
        return outcome;
    }

    /// <summary>Keeps the cache within its budget (also after a setting lowered it).</summary>
    public async Task EvictAsync(long maxBytes)
    {
        try
        {
            var evicted = await cache.EvictAsync(maxBytes, CancellationToken.None).ConfigureAwait(false);
            if (evicted > 0)
            {
                log(SyncLogLevel.Info, string.Create(CultureInfo.InvariantCulture, $"cache over {maxBytes:N0} bytes: evicted {evicted} least recently read documents (kept as stubs)"));
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            log(SyncLogLevel.Warning, "cache eviction failed: " + exception.Message);
        }
    }

    private void LogEnd(PullOutcome outcome)
    {
        switch (outcome.Stop)
        {
            case PullStop.Malformed:
                log(SyncLogLevel.Error, "pull refused the server's answer (nothing of it was written): " + outcome.Problem);
                break;
            case PullStop.Failed:
                log(SyncLogLevel.Warning, "pull failed: " + (outcome.Failure?.Message ?? outcome.Problem));
                break;
            case PullStop.Superseded:
                log(SyncLogLevel.Debug, outcome.Problem ?? "pull superseded");
                break;
            default:
                if (outcome.Result.Pulled > 0 || outcome.Stop != PullStop.Complete)
                {
                    log(SyncLogLevel.Debug, string.Create(CultureInfo.InvariantCulture, $"pull {outcome.Stop}: {outcome.Result.Pulled} changes, cursor {outcome.Result.Cursor}"));
                }

                break;
        }
    }

    /// <summary>Progress of one pull, shown only once it is clear it takes more than one page.</summary>
    private sealed class PullReport(string id, TimeProvider time, Action<SyncProgress> progress)
    {
        private bool begun;
        private DateTimeOffset? nextReportAt;

        public void Page(PullProgress page)
        {
            var total = (int)Math.Min(page.Total ?? 0, int.MaxValue);
            var done = (int)Math.Min(page.Pulled, int.MaxValue);
            if (!begun)
            {
                if (page.Pages < 2 && !(page.Total > CachePuller.PageSize))
                {
                    return;
                }

                begun = true;
                progress(new SyncProgress(id, SyncProgressKind.Begin, Message(page), done, total, SyncActivity.Pull));
                nextReportAt = time.GetUtcNow() + ReportInterval;
                return;
            }

            var now = time.GetUtcNow();
            if (now >= nextReportAt)
            {
                nextReportAt = now + ReportInterval;
                progress(new SyncProgress(id, SyncProgressKind.Report, Message(page), done, total, SyncActivity.Pull));
            }
        }

        public void End(string message)
        {
            if (begun)
            {
                begun = false;
                progress(new SyncProgress(id, SyncProgressKind.End, message, 0, 0, SyncActivity.Pull));
            }
        }

        private static string Message(PullProgress page) => page.Total is { } total
            ? string.Create(CultureInfo.InvariantCulture, $"Pulled {page.Pulled:N0} of {total:N0} changes")
            : string.Create(CultureInfo.InvariantCulture, $"Pulled {page.Pulled:N0} changes ({page.Pages} pages)");
    }
}
