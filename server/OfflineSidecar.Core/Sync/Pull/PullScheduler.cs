using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Sync.Pull;

/// <summary>
/// When the worker pulls: on request (start, back online, after a flush, <see cref="ISyncEngine.PullAsync"/>), and every
/// sync interval after the last pull while it can reach the server. Holds the callers waiting for a pull and the
/// cancellation of the one running. The loop alone starts and ends pulls; any thread may request or cancel one.
/// </summary>
internal sealed class PullScheduler
{
    private readonly Lock gate = new();
    private readonly List<TaskCompletionSource<PullResult>> waiters = [];
    private HashSet<TaskCompletionSource<PullResult>> waitingAtBegin = [];
    private CancellationTokenSource? running;
    private int requested;

    /// <summary>When the next periodic pull is due; null until a pull ended. Loop only.</summary>
    public DateTimeOffset? NextPeriodicAt { get; private set; }

    public void Request() => Interlocked.Exchange(ref requested, 1);

    /// <summary>Requests a pull and completes when one has read the feed to its end, or fails.</summary>
    public Task<PullResult> RequestAndWaitAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<PullResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            waiters.Add(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                lock (gate)
                {
                    waiters.Remove(waiter);
                }

                waiter.TrySetCanceled(cancellationToken);
            });
        }

        Request();
        return waiter.Task;
    }

    public bool HasWaiters
    {
        get
        {
            lock (gate)
            {
                return waiters.Count > 0;
            }
        }
    }

    public bool IsDue(DateTimeOffset now) => Volatile.Read(ref requested) == 1 || NextPeriodicAt <= now || HasWaiters;

    /// <summary>A pull starts: its token is cancelled by <see cref="Cancel"/> or by the loop's own.</summary>
    public CancellationToken Begin(CancellationToken loop)
    {
        Interlocked.Exchange(ref requested, 0);
        lock (gate)
        {
            waitingAtBegin = [.. waiters];
            running = CancellationTokenSource.CreateLinkedTokenSource(loop);
            return running.Token;
        }
    }

    /// <summary>Cancels the pull under way, if any (the user pressed Cancel on its progress).</summary>
    public bool Cancel()
    {
        lock (gate)
        {
            if (running is null)
            {
                return false;
            }

            running.Cancel();
            return true;
        }
    }

    /// <summary>A pull ended: waiters hear the outcome, the next periodic pull is one interval away.</summary>
    public void End(PullOutcome outcome, DateTimeOffset now, TimeSpan interval)
    {
        lock (gate)
        {
            running?.Dispose();
            running = null;
        }

        NextPeriodicAt = now + interval;
        switch (outcome.Stop)
        {
            case PullStop.Complete:
            case PullStop.Superseded:
                Complete(outcome.Result, TakeWaiters());
                break;
            case PullStop.Cancelled:
                // Only those who asked before it began hear of the cancel: a request that came while it was stopping
                // (after the user's Cancel) asked for a pull of its own, and gets one.
                Complete(outcome.Result, TakeWaiters(startedBefore: true));
                if (HasWaiters)
                {
                    Request();
                }

                break;
            case PullStop.Yielded:
                // Resumes as soon as the work it made way for is done.
                Request();
                break;
            default:
                Fail(new QueueException(
                    outcome.Stop == PullStop.Malformed ? QueueErrorKind.ServerAnswerRefused : QueueErrorKind.NotAvailableOffline,
                    "pull failed: " + (outcome.Problem ?? outcome.Failure?.Message ?? outcome.Stop.ToString())));
                break;
        }
    }

    /// <summary>The server cannot be asked now: callers waiting for a pull hear why instead of waiting.</summary>
    public void Fail(Exception error)
    {
        foreach (var waiter in TakeWaiters())
        {
            waiter.TrySetException(error);
        }
    }

    private static void Complete(PullResult result, List<TaskCompletionSource<PullResult>> taken)
    {
        foreach (var waiter in taken)
        {
            waiter.TrySetResult(result);
        }
    }

    private List<TaskCompletionSource<PullResult>> TakeWaiters(bool startedBefore = false)
    {
        lock (gate)
        {
            var taken = startedBefore ? waiters.Where(waitingAtBegin.Contains).ToList() : [.. waiters];
            waiters.RemoveAll(taken.Contains);
            return taken;
        }
    }
}
