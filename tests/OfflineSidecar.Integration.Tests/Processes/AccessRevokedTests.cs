using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// Access revoked after earlier successes: the real sidecar process against the real server with its forbidden fault
/// (every bearer request answers 403). The queue stops sending without burning attempts, the status says accessRevoked
/// (not authRequired), one event tells the editor, nothing is discarded, and sending resumes when a probe finds access back.
/// </summary>
public sealed class AccessRevokedTests
{
    private const string Workspace = "ws-revoked";
    private const string Token = "t-revoked";
    private static readonly object Settings = new { leaseSeconds = 2, syncIntervalSeconds = 3600, backoffBaseSeconds = 0.2, backoffCapSeconds = 2 };

    [Fact]
    public async Task A_whole_request_403_pauses_the_queue_without_attempts_and_a_later_probe_resumes_it()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, token: Token);
        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings, token: Token);
        await sidecar.EnqueueAsync("notes/before.md", new { content = "sent while allowed", encoding = "utf-8" });
        await Wait.UntilAsync(async () => Counts(await sidecar.GetStatusAsync())["succeeded"]!.GetValue<int>() == 1, "the first operation synced");

        await server.SetFaultsAsync(new { forbidden = true });
        var before = await server.GetStatsAsync();
        for (var i = 0; i < 3; i++)
        {
            await sidecar.EnqueueAsync($"notes/while-revoked-{i}.md", new { content = $"kept {i}", encoding = "utf-8" });
        }

        await Wait.UntilAsync(async () => (await sidecar.GetStatusAsync())["connectivity"]!.GetValue<string>() == "accessRevoked", "status accessRevoked");
        // Several access probes go by while the server still refuses: none of them sends or costs an attempt.
        await Wait.UntilAsync(async () => (await server.GetStatsAsync()).FaultResponses - before.FaultResponses >= 3, "access probes refused", 30);
        var during = await server.GetStatsAsync();
        var status = await sidecar.GetStatusAsync();
        Assert.Equal("accessRevoked", status["connectivity"]!.GetValue<string>());
        Assert.Equal((3, 0), (Counts(status)["pending"]!.GetValue<int>(), Counts(status)["failed"]!.GetValue<int>()));
        Assert.Equal("forbidden", status["lastError"]!["code"]!.GetValue<string>());
        Assert.True(during.CommandRequests - before.CommandRequests <= 1, $"one batch meets the 403, then only probes ask ({during.CommandRequests - before.CommandRequests} command requests)");
        var listed = (await sidecar.RequestAsync("offlineSync/listOperations", new { statuses = new[] { "pending" } }))!["items"]!.AsArray();
        Assert.Equal(3, listed.Count);
        Assert.All(listed, o => Assert.Equal(0, o!["attempts"]!.GetValue<int>()));
        Assert.Single(sidecar.All("offlineSync/syncEvent"), e => e!["kind"]!.GetValue<string>() == "accessRevoked");
        Assert.DoesNotContain(sidecar.All("offlineSync/syncEvent"), e => e!["kind"]!.GetValue<string>() == "authRequired");
        Assert.Equal(0, during.Applied - before.Applied);

        await server.SetFaultsAsync(new { forbidden = false });
        await Wait.UntilAsync(async () => Counts(await sidecar.GetStatusAsync())["succeeded"]!.GetValue<int>() == 4, "the kept operations synced once access came back");
        Assert.Equal("online", (await sidecar.GetStatusAsync())["connectivity"]!.GetValue<string>());
        Assert.Equal(4, (await server.GetStatsAsync()).Applied);
        Assert.Equal("kept 2", (await server.ReadEntityAsync(Workspace, "notes/while-revoked-2.md"))!.Payload!.Value.GetProperty("content").GetString());
        Assert.Contains("refuses access (403)", sidecar.Stderr, StringComparison.Ordinal);
        Assert.Contains("access to the sync server is back", sidecar.Stderr, StringComparison.Ordinal);
    }

    private static JsonNode Counts(JsonNode status) => status["counts"]!;
}
