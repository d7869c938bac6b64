using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// Operations that go stale, and support traces: the real sidecar process against the real server. An operation kept
/// offline past its expiry fails with code expired and never reaches the server; one still valid is delivered with its
/// clientTraceId, which the server's log and the sidecar's log both show; Retry sends an expired one anyway.
/// </summary>
public sealed class StaleOperationsTests
{
    private const string Workspace = "ws-stale";
    private static readonly object Settings = new { leaseSeconds = 2, syncIntervalSeconds = 3600, backoffBaseSeconds = 0.2, backoffCapSeconds = 2 };

    [Fact]
    public async Task An_operation_past_its_expiry_fails_as_expired_unsent_while_a_traced_one_reaches_the_server_with_its_trace_id()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings);
        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });

        var validUntil = DateTimeOffset.UtcNow.AddHours(1);
        var stale = await EnqueueAsync(sidecar, new { type = "document.put.v1", entityId = "notes/stale.md", payload = Text("a week-old resolution"), ttlSeconds = 1, clientTraceId = "trace-stale-1" });
        var live = await EnqueueAsync(sidecar, new { type = "document.put.v1", entityId = "notes/live.md", payload = Text("still wanted"), expiresAt = validUntil, clientTraceId = "trace-live-2" });
        var staleOp = await GetOperationAsync(sidecar, stale);
        var staleExpiry = DateTimeOffset.Parse(staleOp["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(staleExpiry - DateTimeOffset.Parse(staleOp["createdAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(1100));
        Assert.Equal("trace-stale-1", staleOp["clientTraceId"]!.GetValue<string>());
        Assert.Equal(validUntil.ToUnixTimeMilliseconds(), DateTimeOffset.Parse((await GetOperationAsync(sidecar, live))["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());

        // Offline past the stale operation's expiry: it is still pending (nothing checks it before the worker would send it).
        await Wait.UntilAsync(() => DateTimeOffset.UtcNow > staleExpiry.AddMilliseconds(200), "the stale operation's expiry passed");
        Assert.Equal("pending", (await GetOperationAsync(sidecar, stale))["status"]!.GetValue<string>());
        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });

        await Wait.UntilAsync(async () => Counts(await sidecar.GetStatusAsync()) is { Succeeded: 1, Failed: 1 }, "one delivered, one expired");
        var expired = await GetOperationAsync(sidecar, stale);
        Assert.Equal(("failed", "expired", 0), (expired["status"]!.GetValue<string>(), expired["lastError"]!["code"]!.GetValue<string>(), expired["attempts"]!.GetValue<int>()));
        Assert.Null(await server.ReadEntityAsync(Workspace, "notes/stale.md"));
        Assert.Equal(1, (await server.GetStatsAsync()).Applied);
        await Wait.UntilAsync(() => server.Stderr.Contains($"trace trace-live-2: command {live} document.put.v1 notes/live.md", StringComparison.Ordinal), "the server logged the trace id with the command");
        Assert.DoesNotContain("trace-stale-1", server.Stderr, StringComparison.Ordinal);
        Assert.Contains($"operation {live} (trace trace-live-2) sent: applied, now succeeded", sidecar.Stderr, StringComparison.Ordinal);
        Assert.Contains($"operation {stale} (trace trace-stale-1) expired at", sidecar.Stderr, StringComparison.Ordinal);

        // Retry means "send it anyway": the expiry goes and the operation is delivered.
        await sidecar.RequestAsync("offlineSync/retry", new { ids = new[] { stale } });
        await Wait.UntilAsync(async () => (await server.ReadEntityAsync(Workspace, "notes/stale.md")) is not null, "the retried operation reached the server");
        var retried = await GetOperationAsync(sidecar, stale);
        Assert.Null(retried["expiresAt"]?.GetValue<string>());
        await Wait.UntilAsync(() => server.Stderr.Contains($"trace trace-stale-1: command {stale}", StringComparison.Ordinal), "the retried command's trace id on the server");
    }

    [Fact]
    public async Task Enqueue_refuses_both_expiry_forms_at_once_and_an_expiry_already_past()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings);
        var both = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            EnqueueAsync(sidecar, new { type = "document.put.v1", entityId = "a.md", payload = Text("x"), ttlSeconds = 60, expiresAt = DateTimeOffset.UtcNow.AddHours(1) }));
        Assert.Contains("-32602", both.Message, StringComparison.Ordinal);
        var past = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            EnqueueAsync(sidecar, new { type = "document.put.v1", entityId = "a.md", payload = Text("x"), expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }));
        Assert.Contains("expiresAt", past.Message, StringComparison.Ordinal);
        var negative = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            EnqueueAsync(sidecar, new { type = "document.put.v1", entityId = "a.md", payload = Text("x"), ttlSeconds = -5 }));
        Assert.Contains("ttlSeconds", negative.Message, StringComparison.Ordinal);
        Assert.Equal(0, Counts(await sidecar.GetStatusAsync()).Pending);
    }

    private static object Text(string content) => new { content, encoding = "utf-8" };

    private static async Task<string> EnqueueAsync(SidecarProcess sidecar, object parameters) =>
        (await sidecar.RequestAsync("offlineSync/enqueue", parameters))!["id"]!.GetValue<string>();

    private static async Task<JsonNode> GetOperationAsync(SidecarProcess sidecar, string id) =>
        (await sidecar.RequestAsync("offlineSync/getOperation", new { id }))!["operation"]!;

    private static (int Pending, int Succeeded, int Failed) Counts(JsonNode status)
    {
        var counts = status["counts"]!;
        return (counts["pending"]!.GetValue<int>(), counts["succeeded"]!.GetValue<int>(), counts["failed"]!.GetValue<int>());
    }
}
