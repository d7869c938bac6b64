using Microsoft.Extensions.Time.Testing;

namespace OfflineSidecar.Host.Tests.Support;

/// <summary>
/// A clock that moves only when the test moves it and tells when a timer has been started on it: a test advances it
/// once the timer it means to fire exists, instead of sleeping until a real one has fired.
/// </summary>
internal sealed class WatchedClock : FakeTimeProvider
{
    private readonly object gate = new();
    private readonly Dictionary<TimeSpan, int> started = [];
    private readonly List<(TimeSpan DueTime, int Count, TaskCompletionSource Reached)> waiters = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        lock (gate)
        {
            int count = started[dueTime] = started.GetValueOrDefault(dueTime) + 1;
            foreach (var waiter in waiters.Where(w => w.DueTime == dueTime && w.Count <= count).ToList())
            {
                waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers due after <paramref name="dueTime"/> were started
    /// since this clock was made (so far, not from now on).</summary>
    public Task WhenTimersStartedAsync(TimeSpan dueTime, int count)
    {
        lock (gate)
        {
            if (started.GetValueOrDefault(dueTime) >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((dueTime, count, reached));
            return reached.Task.WaitAsync(TestTimeouts.Message);
        }
    }

    public int TimersStarted(TimeSpan dueTime)
    {
        lock (gate)
        {
            return started.GetValueOrDefault(dueTime);
        }
    }
}
