using OfflineSidecar.Core.Clock;

namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// The estimate of the server's clock: readings arrive on request threads, the loop stores the estimate they changed
/// and only then shows it (<see cref="Stored"/>), so an operation enqueued after the status showed a skew carries its
/// server time.
/// </summary>
internal sealed class ServerClockKeeper(ISyncStore store)
{
    private readonly ServerClock clock = new();
    private volatile ServerClockEstimate? stored;
    private int unsaved;

    /// <summary>The estimate the store holds (what the state shows): enqueue stamps operations from it.</summary>
    public ServerClockEstimate? Stored => stored;

    /// <summary>Known offline after a restart; the first probe measures it again.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        stored = await store.GetServerClockAsync(cancellationToken).ConfigureAwait(false);
        clock.Restore(stored);
    }

    /// <summary>Another server has its own clock; the next probe measures it.</summary>
    public void Reset()
    {
        clock.Reset();
        stored = null;
    }

    public void OnSampled(object? sender, ServerClockSample sample)
    {
        if (clock.Observe(sample))
        {
            Interlocked.Exchange(ref unsaved, 1);
        }
    }

    /// <summary>Stores the estimate when readings changed it. True when <see cref="Stored"/> changed (the state must show it).</summary>
    public async Task<bool> SaveIfChangedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref unsaved, 0) == 1 && clock.Current is { } estimate)
        {
            await store.SaveServerClockAsync(estimate, cancellationToken).ConfigureAwait(false);
            stored = estimate;
            return true;
        }

        return false;
    }
}
