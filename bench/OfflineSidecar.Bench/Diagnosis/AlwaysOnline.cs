using OfflineSidecar.Core.Connectivity;

namespace OfflineSidecar.Bench.Diagnosis;

/// <summary>A network that is always up (the server is on loopback anyway).</summary>
internal sealed class AlwaysOnline : INetworkStatus
{
    public bool IsAvailable => true;

    public event EventHandler? Changed
    {
        add { }
        remove { }
    }
}
