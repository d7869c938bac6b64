namespace OfflineSidecar.Core.Clock;

/// <summary>
/// The current estimate of the server's clock offset, refined by every reading the transport takes. A precise reading
/// (health's <c>serverTime</c>) replaces the estimate; a coarse one (a <c>Date</c> header, whole seconds) replaces it
/// only when the two cannot both be right, which is how a clock changed since the last probe (on either side) shows.
/// Thread-safe: readings arrive from concurrent requests.
/// </summary>
public sealed class ServerClock
{
    private readonly Lock gate = new();
    private ServerClockEstimate? current;
    private TimeSpan currentUncertainty;

    public ServerClockEstimate? Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    /// <summary>The estimate stored by an earlier run, until this one measures: a header that agrees with it within
    /// both their uncertainties leaves it be, as it would a fresh one.</summary>
    public void Restore(ServerClockEstimate? stored)
    {
        lock (gate)
        {
            current = stored;
            currentUncertainty = stored is null ? TimeSpan.Zero : stored.RoundTrip / 2;
        }
    }

    /// <summary>Forgets the estimate (another server).</summary>
    public void Reset() => Restore(null);

    /// <summary>Takes a reading; true when the estimate changed.</summary>
    public bool Observe(ServerClockSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (gate)
        {
            var precise = sample.Resolution < ServerClockSample.HeaderResolution;
            var take = current is null
                || precise
                || (sample.Offset - current.Offset).Duration() > sample.Uncertainty + currentUncertainty;
            if (!take)
            {
                return false;
            }

            var next = ServerClockEstimate.From(sample);
            var changed = current is null || next.Offset != current.Offset;
            current = next;
            currentUncertainty = sample.Uncertainty;
            return changed;
        }
    }
}
