using System.Globalization;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Transport;

/// <summary>The server's clock as the HTTP transport reads it, over a real socket.</summary>
public sealed class ClockReadingTransportTests
{
    private static readonly DateTimeOffset TwoHoursAhead = DateTimeOffset.UtcNow.AddHours(2);

    private static HttpSyncTransport Transport(Uri url) => new(url, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeProvider.System);

    [Fact]
    public async Task A_probe_reads_health_serverTime_to_the_millisecond()
    {
        var serverTime = TwoHoursAhead.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200, $$"""{"serverTime":"{{serverTime}}","protocolVersion":1}"""));
        using var transport = Transport(server.BaseUrl);
        var samples = new List<ServerClockSample>();
        transport.ClockSampled += (_, sample) => samples.Add(sample);

        Assert.True(await transport.ProbeAsync());

        var sample = Assert.Single(samples);
        Assert.Equal(TimeSpan.Zero, sample.Resolution);
        Assert.InRange(sample.Offset, TimeSpan.FromHours(2) - TimeSpan.FromSeconds(30), TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        Assert.True(sample.RoundTrip >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Any_other_answer_is_read_by_its_Date_header_even_a_refusal()
    {
        var date = TwoHoursAhead.ToString("r", CultureInfo.InvariantCulture);
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(404, """{"code":"not_found","message":"no"}""", [("Date", date)]));
        using var transport = Transport(server.BaseUrl);
        var samples = new List<ServerClockSample>();
        transport.ClockSampled += (_, sample) => samples.Add(sample);

        await transport.GetAccountAsync(null);

        var sample = Assert.Single(samples);
        Assert.Equal(ServerClockSample.HeaderResolution, sample.Resolution);
        Assert.InRange(sample.Offset, TimeSpan.FromHours(2) - TimeSpan.FromSeconds(30), TimeSpan.FromHours(2) + TimeSpan.FromSeconds(2));
    }
}
