using System.Globalization;
using System.Net;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_the_server_clock_without_a_token()
    {
        await using var server = await RunningSyncServer.StartAsync(options => options with { Token = "secret" });

        using var response = await server.Client.GetAsync(new Uri("/sync/health", UriKind.Relative));
        var body = await SyncApi.ReadJsonAsync(response, HttpStatusCode.OK);

        var serverTimeText = body["serverTime"]!.GetValue<string>();
        Assert.EndsWith("Z", serverTimeText, StringComparison.Ordinal);
        var serverTime = DateTimeOffset.Parse(serverTimeText, CultureInfo.InvariantCulture);
        Assert.InRange(serverTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(1, body["protocolVersion"]!.GetValue<int>());
        Assert.Equal(500, body["maxBatchCommands"]!.GetValue<int>());
    }
}
