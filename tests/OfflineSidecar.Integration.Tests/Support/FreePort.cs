using System.Net;
using System.Net.Sockets;

namespace OfflineSidecar.Integration.Tests.Support;

internal static class FreePort
{
    /// <summary>A port nothing listens on right now, so a client pointed at it is refused until a server takes it.</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
