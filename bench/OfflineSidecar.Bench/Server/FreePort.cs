using System.Net;
using System.Net.Sockets;

namespace OfflineSidecar.Bench.Server;

/// <summary>A loopback port nothing listens on right now, for a server URL configured before its server starts.</summary>
internal static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
