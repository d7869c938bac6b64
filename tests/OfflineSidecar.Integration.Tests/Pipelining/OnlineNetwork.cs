using OfflineSidecar.Core.Connectivity;

namespace OfflineSidecar.Integration.Tests.Pipelining;

internal sealed class OnlineNetwork : INetworkStatus
{
    public bool IsAvailable => true;

    public event EventHandler? Changed
    {
        add { }
        remove { }
    }
}
