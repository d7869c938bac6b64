using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// The transport the loop sends with: built for the current server and timeout, rebuilt when either changes, its
/// circuit and clock readings wired to the engine. Loop only (built, used and disposed by it).
/// </summary>
internal sealed class WorkerTransport(
    Func<SyncOptions, ISyncTransport> factory, ServerClockKeeper clock, EventHandler<TransportCircuitState> circuitChanged) : IDisposable
{
    /// <summary>Null without a server.</summary>
    public ISyncTransport? Current { get; private set; }

    /// <summary>Replaces the transport; true when a new one was built (the old server's holds no longer apply).</summary>
    public bool Rebuild(SyncOptions options)
    {
        Dispose();
        if (options.ServerUrl is null)
        {
            return false;
        }

        var built = factory(options);
        built.CircuitChanged += circuitChanged;
        built.ClockSampled += clock.OnSampled;
        Current = built;
        return true;
    }

    public void Dispose()
    {
        if (Current is not { } transport)
        {
            return;
        }

        transport.CircuitChanged -= circuitChanged;
        transport.ClockSampled -= clock.OnSampled;
        transport.Dispose();
        Current = null;
    }
}
