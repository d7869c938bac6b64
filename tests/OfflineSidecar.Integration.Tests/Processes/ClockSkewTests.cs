using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// Clocks that lie: the real sidecar process against the real server whose clock is switched two hours behind this
/// machine's (the clockOffsetMs fault). The sidecar estimates the skew, keeps it across a restart with the server gone,
/// and stamps operations with their time on the server's clock; delivery keeps enqueue order.
/// </summary>
public sealed class ClockSkewTests
{
    private const string Workspace = "ws-clock";
    private static readonly TimeSpan ServerBehind = TimeSpan.FromHours(2);
    private static readonly object Settings = new { leaseSeconds = 2, syncIntervalSeconds = 3600, backoffBaseSeconds = 0.2, backoffCapSeconds = 2 };

    [Fact]
    public async Task The_skew_of_a_server_two_hours_behind_is_reported_stored_and_stamped_on_operations()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.SetFaultsAsync(new { clockOffsetMs = -(long)ServerBehind.TotalMilliseconds });

        long skew;
        await using (var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings))
        {
            var started = Stopwatch.StartNew();
            await Wait.UntilAsync(async () => (await sidecar.GetStatusAsync())["clockSkewMs"] is not null, "the skew was estimated");
            skew = (await sidecar.GetStatusAsync())["clockSkewMs"]!.GetValue<long>();
            // Within the round trip (bounded by how long the whole wait took) of the switch: this machine is ahead.
            Assert.InRange(skew, (long)ServerBehind.TotalMilliseconds - started.ElapsedMilliseconds - 1, (long)ServerBehind.TotalMilliseconds + started.ElapsedMilliseconds + 1);

            await sidecar.EnqueueAsync("notes/first.md", new { content = "one", encoding = "utf-8" });
            await sidecar.EnqueueAsync("notes/second.md", new { content = "two", encoding = "utf-8" });
            await Wait.UntilAsync(async () => (await server.ReadEntityAsync(Workspace, "notes/second.md")) is not null, "both operations synced");
            await Wait.UntilAsync(async () => (await sidecar.GetStatusAsync())["lastSyncedAgoMs"] is not null, "a sync was measured");
            Assert.InRange((await sidecar.GetStatusAsync())["lastSyncedAgoMs"]!.GetValue<long>(), 0, 60_000);

            var listed = (await sidecar.RequestAsync("offlineSync/listOperations", new { }))!["items"]!.AsArray();
            Assert.Equal(["notes/first.md", "notes/second.md"], listed.Select(o => o!["entityId"]!.GetValue<string>()).ToArray());
            foreach (var operation in listed)
            {
                Assert.Equal(Time(operation!["createdAt"]) - TimeSpan.FromMilliseconds(skew), Time(operation["serverCreatedAt"]));
            }
        }

        // Offline after a restart: the stored estimate is shown before the server can be asked again.
        await server.SetFaultsAsync(new { unavailable = true, retryAfterSeconds = 1 });
        await using (var restarted = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings))
        {
            await Wait.UntilAsync(async () => (await restarted.GetStatusAsync())["clockSkewMs"] is not null, "the stored skew is shown");
            var status = await restarted.GetStatusAsync();
            // The stored one: the 503s' Date headers (whole seconds) agree with it, so they leave it be.
            Assert.Equal(skew, status["clockSkewMs"]!.GetValue<long>());
            Assert.Null(status["lastSyncedAgoMs"]);
            await restarted.EnqueueAsync("notes/offline.md", new { content = "three", encoding = "utf-8" });
        }

        var cli = await CliAsync(data.Path, "list");
        Assert.Equal(skew, (await CliAsync(data.Path, "status"))["clockSkewMs"]!.GetValue<long>());
        var offline = cli["items"]!.AsArray().Single(o => o!["entityId"]!.GetValue<string>() == "notes/offline.md")!;
        Assert.Equal(Time(offline["createdAt"]) - TimeSpan.FromMilliseconds(skew), Time(offline["serverCreatedAt"]));
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static async Task<JsonNode> CliAsync(string dataDir, string command)
    {
        var (exitCode, stdout, stderr) = await SidecarCli.RunAsync(dataDir, Workspace, command, "--json");
        Assert.True(exitCode == 0, stderr);
        return JsonNode.Parse(stdout)!;
    }
}
