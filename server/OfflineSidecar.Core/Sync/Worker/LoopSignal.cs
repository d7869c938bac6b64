using System.Threading.Channels;

namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// The signal the loop sleeps on between steps, with its timer for the next thing due. Also knows whether the loop
/// is idle (parked, nothing pending), which tests await after moving a fake clock.
/// </summary>
internal sealed class LoopSignal
{
    private static readonly TimeSpan LongestSleep = TimeSpan.FromDays(1);

    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Completed while the loop is parked with nothing to wake it (and before it starts). Cleared synchronously by
    // whatever wakes it, so a test that moved the fake clock can await the step the move caused, if any, then idleness.
    private readonly Lock idleGate = new();
    private TaskCompletionSource idle = Completed();

    /// <summary>Wakes the loop; several signals before it wakes count as one.</summary>
    public void Signal()
    {
        // Under the idle gate: the loop cannot park (and call itself idle) between the write and the wake being noted.
        lock (idleGate)
        {
            signal.Writer.TryWrite(true);
            NotIdle();
        }
    }

    /// <summary>Completes once the loop is parked with no signal or due timer pending: whatever it had to do, it did.</summary>
    public Task WhenIdleAsync()
    {
        lock (idleGate)
        {
            return idle.Task;
        }
    }

    /// <summary>Sleeps until a signal or <paramref name="wakeAt"/> (on <paramref name="steady"/>); null waits for a signal only.</summary>
    public async Task WaitAsync(DateTimeOffset? wakeAt, TimeProvider steady, CancellationToken cancellationToken)
    {
        if (signal.Reader.TryRead(out _))
        {
            return;
        }

        if (wakeAt is { } at)
        {
            var delay = at - steady.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                return;
            }

            using var timeout = new CancellationTokenSource(delay > LongestSleep ? LongestSleep : delay, steady);
            if (at <= steady.GetUtcNow())
            {
                // The clock passed the wake-up while the timer was being made (a test's fake clock can jump): the
                // timer counts from its creation and would sleep past it.
                return;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            // Registered after the linked source, so it runs first (callbacks run last-in first-out): the wake is
            // noted inside the timer's callback, before the loop's continuation is even scheduled.
            using var wake = timeout.Token.Register(static s => ((LoopSignal)s!).Woken(), this);
            try
            {
                Parked(timeout.Token);
                await signal.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
        else
        {
            Parked(CancellationToken.None);
            await signal.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }

        signal.Reader.TryRead(out _);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    /// <param name="timer">The sleep's timer: one that already fired (before the loop got here) wakes it at once.</param>
    private void Parked(CancellationToken timer)
    {
        lock (idleGate)
        {
            // A signal written since the loop last looked, or a timer that already fired, wakes it at once: not idle.
            if (!signal.Reader.TryPeek(out _) && !timer.IsCancellationRequested)
            {
                idle.TrySetResult();
            }
        }
    }

    private void Woken()
    {
        lock (idleGate)
        {
            NotIdle();
        }
    }

    /// <summary>Under <see cref="idleGate"/>.</summary>
    private void NotIdle()
    {
        if (idle.Task.IsCompleted)
        {
            idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
