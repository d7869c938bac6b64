namespace OfflineSidecar.Core.Connectivity;

/// <summary>The operating system's view of the network, behind a port so the engine can be tested without one.</summary>
public interface INetworkStatus
{
    /// <summary>False when no non-loopback interface is up.</summary>
    bool IsAvailable { get; }

    /// <summary>Raised (on any thread) when availability or addresses changed: worth probing the server at once.</summary>
    event EventHandler? Changed;
}
