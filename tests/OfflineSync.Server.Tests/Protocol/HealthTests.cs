using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

public abstract class HealthTests(StoreKind store)
{
    [SkippableFact]
    public async Task Health_answers_the_server_clock_without_a_token()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Token = "secret" });

        using var response = await server.Client.GetAsync(new Uri("/sync/health", UriKind.Relative));
        var body = await SyncApi.ReadJsonAsync(response, HttpStatusCode.OK);

        var serverTimeText = body["serverTime"]!.GetValue<string>();
        Assert.EndsWith("Z", serverTimeText, StringComparison.Ordinal);
        var serverTime = DateTimeOffset.Parse(serverTimeText, CultureInfo.InvariantCulture);
        Assert.InRange(serverTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(1, body["protocolVersion"]!.GetValue<int>());
        Assert.Equal(500, body["maxBatchCommands"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task The_clock_offset_fault_shifts_serverTime_and_the_Date_header_of_every_answer()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var offset = TimeSpan.FromHours(-2);
        await server.Api.SetFaultsAsync(new JsonObject { ["clockOffsetMs"] = (long)offset.TotalMilliseconds });

        using var health = await server.Client.GetAsync(new Uri("/sync/health", UriKind.Relative));
        var body = await SyncApi.ReadJsonAsync(health, HttpStatusCode.OK);
        using var commands = await server.Api.PostCommandsAsync("ws-clock", WireCommands.Put("k1", "doc-1", new JsonObject()));
        var answer = await SyncApi.ReadJsonAsync(commands, HttpStatusCode.OK);
        using var changes = await server.Api.GetChangesAsync("ws-clock");
        using var outOfRange = await server.Client.PostAsync(
            new Uri("/admin/faults", UriKind.Relative), new StringContent("""{"clockOffsetMs":1e15}"""));

        var shifted = DateTimeOffset.UtcNow + offset;
        foreach (var reported in new[]
                 {
                     DateTimeOffset.Parse(body["serverTime"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                     DateTimeOffset.Parse(answer["serverTime"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                     health.Headers.Date!.Value,
                     commands.Headers.Date!.Value,
                     changes.Headers.Date!.Value,
                 })
        {
            Assert.InRange(reported, shifted.AddMinutes(-1), shifted.AddMinutes(1));
        }

        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
    }
}

public sealed class SqliteHealthTests() : HealthTests(StoreKind.Sqlite);

public sealed class PostgresHealthTests() : HealthTests(StoreKind.Postgres);
