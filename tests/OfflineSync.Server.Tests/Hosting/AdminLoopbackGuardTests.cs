using System.Net;
using OfflineSync.Server.Admin;

namespace OfflineSync.Server.Tests.Hosting;

public sealed class AdminLoopbackGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("192.168.1.20", false)]
    public void Only_loopback_callers_reach_admin_endpoints(string address, bool allowed)
    {
        Assert.Equal(allowed, AdminLoopbackGuard.IsLoopback(IPAddress.Parse(address)));
    }

    [Fact]
    public void An_unknown_remote_address_is_not_loopback()
    {
        Assert.False(AdminLoopbackGuard.IsLoopback(null));
    }
}
