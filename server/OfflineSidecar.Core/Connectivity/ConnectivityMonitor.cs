using ConnectivityState = OfflineSidecar.Core.Sync.Connectivity;

namespace OfflineSidecar.Core.Connectivity;

/// <summary>
/// Decides the connectivity state and when to probe the server next. It owns no timer: the engine's single loop
/// asks <see cref="NextProbeAt"/> and waits for it, so an idle, online engine never polls.
/// Precedence: the user's switch, then missing credentials, then revoked access, then the network, then the server.
/// While access is revoked the probes ask whether access is back (the engine's access probe), not whether the
/// server answers its health check: it does, and says nothing about what our credentials may do.
/// </summary>
public sealed class ConnectivityMonitor
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private TimeSpan probeMin;
    private TimeSpan probeMax;
    private TimeSpan nextProbeDelay;
    private DateTimeOffset? nextProbeAt;
    private bool serverConfigured;
    private bool workOffline;
    private bool authRequired;
    private bool accessRevoked;
    private bool networkAvailable = true;
    private bool reachable;

    public ConnectivityMonitor(TimeProvider time, TimeSpan probeMin, TimeSpan probeMax)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
        SetProbeRange(probeMin, probeMax);
        nextProbeDelay = this.probeMin;
        nextProbeAt = time.GetUtcNow();
    }

    public ConnectivityState Current
    {
        get
        {
            lock (gate)
            {
                return workOffline ? ConnectivityState.WorkingOffline
                    : authRequired ? ConnectivityState.AuthRequired
                    : accessRevoked ? ConnectivityState.AccessRevoked
                    : !serverConfigured || !networkAvailable ? ConnectivityState.Offline
                    : !reachable ? ConnectivityState.Unreachable
                    : ConnectivityState.Online;
            }
        }
    }

    /// <summary>True when a request may go out now.</summary>
    public bool CanSend
    {
        get
        {
            lock (gate)
            {
                return serverConfigured && !workOffline && !authRequired && !accessRevoked && networkAvailable && reachable;
            }
        }
    }

    /// <summary>When the next health probe is due; null when none is needed (online, or nothing to probe).</summary>
    public DateTimeOffset? NextProbeAt
    {
        get
        {
            lock (gate)
            {
                return ShouldProbe ? nextProbeAt : null;
            }
        }
    }

    public bool WorkOffline
    {
        get
        {
            lock (gate)
            {
                return workOffline;
            }
        }
    }

    private bool ShouldProbe => serverConfigured && !workOffline && networkAvailable && (!reachable || accessRevoked);

    public void SetProbeRange(TimeSpan min, TimeSpan max)
    {
        lock (gate)
        {
            probeMin = min > TimeSpan.Zero ? min : TimeSpan.FromMilliseconds(100);
            probeMax = max < probeMin ? probeMin : max;
            nextProbeDelay = Clamp(nextProbeDelay);
        }
    }

    /// <summary>A new server (or none): what we knew about the old one no longer holds.</summary>
    public void SetServer(bool configured)
    {
        lock (gate)
        {
            serverConfigured = configured;
            reachable = false;
            ProbeSoon();
        }
    }

    public void SetWorkOffline(bool enabled)
    {
        lock (gate)
        {
            if (workOffline == enabled)
            {
                return;
            }

            workOffline = enabled;
            if (!enabled)
            {
                ProbeSoon();
            }
        }
    }

    /// <param name="available">Whether the OS reports a network; pass true for a loopback server, which needs none.</param>
    public void SetNetworkAvailable(bool available)
    {
        lock (gate)
        {
            if (available && !networkAvailable)
            {
                ProbeSoon();
            }

            networkAvailable = available;
        }
    }

    /// <summary>The OS saw the network change: whatever we believed may be stale, so ask the server now.</summary>
    public void NetworkChanged()
    {
        lock (gate)
        {
            ProbeSoon();
        }
    }

    /// <summary>A request found no server (refused, reset, timed out) or one not serving (any 5xx): unreachable at
    /// once, first probe after ProbeMin. A 429 does not come here: that server is answering.</summary>
    public void RequestFailed()
    {
        lock (gate)
        {
            if (!reachable)
            {
                return;
            }

            reachable = false;
            nextProbeDelay = probeMin;
            ScheduleProbe();
        }
    }

    public void RequestSucceeded()
    {
        lock (gate)
        {
            reachable = true;
            nextProbeDelay = probeMin;
        }
    }

    public void ProbeSucceeded() => RequestSucceeded();

    public void ProbeFailed()
    {
        lock (gate)
        {
            reachable = false;
            ScheduleProbe();
        }
    }

    public void AuthFailed()
    {
        lock (gate)
        {
            authRequired = true;
            reachable = true;
        }
    }

    /// <summary>A whole request was refused with 403. True when this is news (access was not already revoked).
    /// The first access probe comes after ProbeMin, then backing off to ProbeMax like health probes.</summary>
    public bool AccessRevoked()
    {
        lock (gate)
        {
            var news = !accessRevoked;
            accessRevoked = true;
            reachable = true;
            if (news)
            {
                nextProbeDelay = probeMin;
            }

            ScheduleProbe();
            return news;
        }
    }

    /// <summary>An access probe succeeded: sending may resume.</summary>
    public void AccessRestored()
    {
        lock (gate)
        {
            accessRevoked = false;
            reachable = true;
            nextProbeDelay = probeMin;
        }
    }

    /// <summary>New credentials (or an explicit sync request) end an auth pause.</summary>
    public void ClearAuthRequired()
    {
        lock (gate)
        {
            authRequired = false;
        }
    }

    /// <summary>Probe at the next opportunity, backoff restarting from ProbeMin.</summary>
    public void ProbeNow()
    {
        lock (gate)
        {
            ProbeSoon();
        }
    }

    private void ProbeSoon()
    {
        nextProbeDelay = probeMin;
        nextProbeAt = time.GetUtcNow();
    }

    private void ScheduleProbe()
    {
        nextProbeAt = time.GetUtcNow() + nextProbeDelay;
        nextProbeDelay = Clamp(nextProbeDelay * 2);
    }

    private TimeSpan Clamp(TimeSpan delay) => delay < probeMin ? probeMin : delay > probeMax ? probeMax : delay;
}
