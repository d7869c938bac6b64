using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Faults;

public abstract class FaultInjectionTests(StoreKind store)
{
    private const string Workspace = "ws-faults";

    [SkippableTheory]
    [InlineData("status429Rate", HttpStatusCode.TooManyRequests, "rate_limited")]
    [InlineData("failRate", HttpStatusCode.ServiceUnavailable, "unavailable")]
    public async Task Whole_request_faults_answer_Retry_After_and_apply_nothing(string fault, HttpStatusCode expected, string code)
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.SetFaultsAsync(new JsonObject { [fault] = 1.0, ["retryAfterSeconds"] = 7 });

        using var response = await server.Api.PostCommandsAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));
        using var changes = await server.Api.GetChangesAsync(Workspace);

        Assert.Equal(code, (await SyncApi.ReadJsonAsync(response, expected))["code"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal(expected, changes.StatusCode);
        Assert.Null(await server.Api.GetEntityAsync(Workspace, "doc-1"));
        Assert.Equal(2, (await server.Api.GetStatsAsync())["faultResponses"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Unavailable_makes_every_sync_endpoint_503_including_health_until_switched_off()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.SetFaultsAsync(new JsonObject { ["unavailable"] = true });

        using var health = await server.Client.GetAsync(new Uri("/sync/health", UriKind.Relative));
        using var commands = await server.Api.PostCommandsAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));
        using var changes = await server.Api.GetChangesAsync(Workspace);
        await server.Api.SetFaultsAsync(new JsonObject { ["unavailable"] = false });
        using var healthAfter = await server.Client.GetAsync(new Uri("/sync/health", UriKind.Relative));

        Assert.All([health, commands, changes], r =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), r.Headers.RetryAfter?.Delta);
        });
        Assert.Equal(HttpStatusCode.OK, healthAfter.StatusCode);
    }

    [SkippableFact]
    public async Task Forbidden_answers_403()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.SetFaultsAsync(new JsonObject { ["forbidden"] = true });

        using var response = await server.Api.PostCommandsAsync(Workspace, WireCommands.Put("k1", "doc-1", new JsonObject()));

        Assert.Equal("forbidden", (await SyncApi.ReadJsonAsync(response, HttpStatusCode.Forbidden))["code"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Drop_after_apply_commits_then_aborts_and_the_resend_is_a_duplicate()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.SetFaultsAsync(new JsonObject { ["dropAfterApplyRate"] = 1.0 });
        var command = WireCommands.Put("k1", "doc-1", new JsonObject { ["n"] = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => server.Api.PostCommandsAsync(Workspace, command));
        var committed = await server.Api.GetEntityAsync(Workspace, "doc-1");
        await server.Api.SetFaultsAsync(new JsonObject { ["dropAfterApplyRate"] = 0.0 });
        var resent = await server.Api.ApplyOneAsync(Workspace, command);

        Assert.Equal(1, committed!["version"]!.GetValue<long>());
        Assert.Equal("duplicate", resent["status"]!.GetValue<string>());
        Assert.Equal(1, resent["version"]!.GetValue<long>());
        var stats = await server.Api.GetStatsAsync();
        Assert.Equal(1, stats["droppedAfterApply"]!.GetValue<long>());
        Assert.Equal(1, stats["applied"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Per_command_retry_applies_nothing_and_the_resend_applies()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.SetFaultsAsync(new JsonObject { ["perCommandRetryRate"] = 1.0 });
        var command = WireCommands.Put("k1", "doc-1", new JsonObject());

        var retried = await server.Api.ApplyOneAsync(Workspace, command);
        await server.Api.SetFaultsAsync(new JsonObject { ["perCommandRetryRate"] = 0.0 });
        var applied = await server.Api.ApplyOneAsync(Workspace, command);

        Assert.Equal("retry", retried["status"]!.GetValue<string>());
        Assert.Null(retried["version"]);
        Assert.Equal("applied", applied["status"]!.GetValue<string>());
        Assert.Equal(1, applied["version"]!.GetValue<long>());
        Assert.Equal(1, (await server.Api.GetStatsAsync())["retries"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Latency_delays_every_sync_response()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.SetFaultsAsync(new JsonObject { ["latencyMs"] = 300 });

        var stopwatch = Stopwatch.StartNew();
        using var health = await server.Client.GetAsync(new Uri("/sync/health", UriKind.Relative));
        stopwatch.Stop();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(stopwatch.ElapsedMilliseconds >= 290, $"answered after {stopwatch.ElapsedMilliseconds} ms");
    }

    [SkippableFact]
    public async Task The_same_seed_injects_the_same_faults_in_the_same_order()
    {
        var first = await RecordStatusesAsync(seed: 42);
        var second = await RecordStatusesAsync(seed: 42);

        Assert.Equal(first, second);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, first);
    }

    [SkippableTheory]
    [InlineData("""{"failrate":1}""")]
    [InlineData("""{"failRate":1.5}""")]
    [InlineData("""{"latencyMs":-1}""")]
    [InlineData("""{"unavailable":"yes"}""")]
    [InlineData("""{"requireToken":""}""")]
    [InlineData("""[]""")]
    public async Task Invalid_fault_settings_are_400_and_change_nothing(string body)
    {
        await using var server = await RunningSyncServer.StartAsync(store);

        using var response = await server.Client.PostAsync("/admin/faults", new StringContent(body));
        using var current = await server.Client.GetAsync(new Uri("/admin/faults", UriKind.Relative));
        var faults = await SyncApi.ReadJsonAsync(current, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, faults["failRate"]!.GetValue<double>());
        Assert.Equal(0, faults["latencyMs"]!.GetValue<int>());
        Assert.False(faults["unavailable"]!.GetValue<bool>());
    }

    [SkippableFact]
    public async Task Fault_updates_merge_and_delete_restores_the_startup_settings()
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Token = "startup" });

        await server.Api.SetFaultsAsync(new JsonObject { ["failRate"] = 0.25 });
        var merged = await server.Api.SetFaultsAsync(new JsonObject { ["latencyMs"] = 5, ["requireToken"] = "rotated" });
        using var reset = await server.Client.DeleteAsync(new Uri("/admin/faults", UriKind.Relative));
        var restored = await SyncApi.ReadJsonAsync(reset, HttpStatusCode.OK);

        Assert.Equal(0.25, merged["failRate"]!.GetValue<double>());
        Assert.Equal(5, merged["latencyMs"]!.GetValue<int>());
        Assert.Equal("rotated", merged["requireToken"]!.GetValue<string>());
        Assert.Equal(0, restored["failRate"]!.GetValue<double>());
        Assert.Equal("startup", restored["requireToken"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Stats_count_outcomes_and_requests_and_reset_to_zero()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        await server.Api.ApplyAsync(Workspace,
            WireCommands.Put("k1", "doc-1", new JsonObject()),
            WireCommands.Put("k1", "doc-1", new JsonObject(), commandId: "again"),
            WireCommands.Put("k2", "doc-1", new JsonObject(), expectedVersion: 0),
            WireCommands.OfType("test.reject.v1", "k3"));
        await server.Api.ReadChangesAsync(Workspace);

        var stats = await server.Api.GetStatsAsync();
        using var resetResponse = await server.Client.PostAsync("/admin/reset-stats", null);
        var reset = await SyncApi.ReadJsonAsync(resetResponse, HttpStatusCode.OK);

        Assert.Equal(1, stats["applied"]!.GetValue<long>());
        Assert.Equal(1, stats["duplicates"]!.GetValue<long>());
        Assert.Equal(1, stats["conflicts"]!.GetValue<long>());
        Assert.Equal(1, stats["rejected"]!.GetValue<long>());
        Assert.Equal(2, stats["requests"]!.GetValue<long>());
        Assert.Equal(1, stats["commandRequests"]!.GetValue<long>());
        Assert.All(reset, member => Assert.Equal(0, member.Value!.GetValue<long>()));
    }

    private async Task<List<HttpStatusCode>> RecordStatusesAsync(int seed)
    {
        await using var server = await RunningSyncServer.StartAsync(store, options => options with { Seed = seed });
        await server.Api.SetFaultsAsync(new JsonObject { ["failRate"] = 0.5 });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 24; i++)
        {
            using var response = await server.Api.PostCommandsAsync(Workspace, WireCommands.Put($"k{i}", "doc-1", new JsonObject()));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}

public sealed class SqliteFaultInjectionTests() : FaultInjectionTests(StoreKind.Sqlite);

public sealed class PostgresFaultInjectionTests() : FaultInjectionTests(StoreKind.Postgres);
