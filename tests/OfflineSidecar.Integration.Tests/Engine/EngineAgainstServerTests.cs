using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Integration.Tests.Support;
using Xunit.Abstractions;
using ConnectivityState = OfflineSidecar.Core.Sync.Connectivity;

namespace OfflineSidecar.Integration.Tests.Engine;

/// <summary>The real engine and SQLite store in this process against the real reference server process.</summary>
public sealed class EngineAgainstServerTests(ITestOutputHelper output)
{
    private const int Operations = 500;
    private const int Entities = 20;

    [Fact]
    public async Task WorkQueuedWhileTheServerIsDownIsAppliedExactlyOnceInEntityOrderWhenItComesUp()
    {
        using var serverData = new TempDirectory("server");
        var port = FreePort.Pick();
        await using var rig = await EngineRig.StartAsync(new Uri($"http://127.0.0.1:{port}/"), log: Log);

        await Workload.EnqueueAsync(rig, Operations, Entities);
        await Wait.UntilAsync(() => rig.Engine.State.Connectivity == ConnectivityState.Unreachable, "unreachable while the server is down");
        Assert.Equal(Operations, (await rig.Queue.GetCountsAsync()).Pending);

        await using var server = await SyncServerProcess.StartAsync(serverData.Path, port);
        await rig.WaitUntilDrainedAsync();

        var stats = await server.GetStatsAsync();
        Assert.Equal(Operations, stats.Applied);
        Assert.Equal(0, stats.Duplicates);
        await Workload.AssertAppliedOnceInOrderAsync(server, Operations, Entities);
        var counts = await rig.Queue.GetCountsAsync();
        Assert.Equal((0L, 0L, 0L, (long)Operations), (counts.Pending, counts.Failed, counts.Conflict, counts.Succeeded));
        Assert.Equal(ConnectivityState.Online, rig.Engine.State.Connectivity);
        Assert.Equal(rig.Count(SyncEventKind.FlushStarted), rig.Count(SyncEventKind.FlushCompleted));
    }

    [Fact]
    public async Task AServerAnswering503ToEverythingIsUnreachableUntilItsHealthAnswersAgain()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var rig = await EngineRig.StartAsync(server.Url, log: Log);
        await Wait.UntilAsync(() => rig.Engine.State.Connectivity == ConnectivityState.Online, "online while the server serves");

        // The admin 'unavailable' fault: every /sync/* request, health included, answers 503 + Retry-After.
        await server.SetFaultsAsync(new { unavailable = true, retryAfterSeconds = 1 });
        var first = await rig.EnqueueAsync("down-1", "{\"n\":1}");
        var second = await rig.EnqueueAsync("down-2", "{\"n\":1}");
        await Wait.UntilAsync(() => rig.Engine.State is { Connectivity: ConnectivityState.Unreachable, LastError: not null }, "unreachable after the 503");
        var state = rig.Engine.State;
        Assert.Equal(SyncErrorCodes.ServerError, state.LastError!.Code);
        Assert.Contains("503", state.LastError.Message, StringComparison.Ordinal);
        var attempted = await rig.DetailsAsync(first);
        Assert.Equal((OperationStatus.Pending, 1), (attempted.Operation.Status, attempted.Operation.Attempts));
        Assert.True(attempted.Operation.NextAttemptAt >= attempted.Attempts[0].FinishedAt + TimeSpan.FromSeconds(1), "Retry-After is a lower bound of the next attempt");

        // Health probes keep asking and keep getting 503: still unreachable, and no batch is sent meanwhile.
        var before = await server.GetStatsAsync();
        await Wait.UntilAsync(async () => (await server.GetStatsAsync()).FaultResponses >= before.FaultResponses + 3, "health probes answered 503");
        var after = await server.GetStatsAsync();
        Assert.Equal(before.CommandRequests, after.CommandRequests);
        Assert.Equal(ConnectivityState.Unreachable, rig.Engine.State.Connectivity);

        await server.SetFaultsAsync(new { unavailable = false });
        await rig.WaitUntilDrainedAsync();
        Assert.Equal(ConnectivityState.Online, rig.Engine.State.Connectivity);
        Assert.Null(rig.Engine.State.LastError);
        Assert.Equal(OperationStatus.Succeeded, await rig.StatusAsync(second));
        Assert.Equal(2, (await server.GetStatsAsync()).Applied);
    }

    [Fact]
    public async Task FailuresAndLostAnswersStillApplyEverythingExactlyOnceInOrder()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, seed: 42);
        await server.SetFaultsAsync(new { failRate = 0.3, dropAfterApplyRate = 0.3, retryAfterSeconds = 0 });
        await using var rig = await EngineRig.StartAsync(server.Url, log: Log);

        await Workload.EnqueueAsync(rig, Operations, Entities);
        await rig.WaitUntilDrainedAsync(timeoutSeconds: 120);
        // The change feed passes the same fault gate; reading it back must not be the thing that fails.
        await server.SetFaultsAsync(new { failRate = 0.0, dropAfterApplyRate = 0.0 });

        var stats = await server.GetStatsAsync();
        Assert.Equal(Operations, stats.Applied);
        Assert.True(stats.Duplicates > 0, "answers were dropped after apply, so resends must have met the idempotency keys");
        await Workload.AssertAppliedOnceInOrderAsync(server, Operations, Entities);
        var counts = await rig.Queue.GetCountsAsync();
        Assert.Equal((0L, 0L, (long)Operations), (counts.Failed, counts.Conflict, counts.Succeeded));
    }

    [Fact]
    public async Task EachConflictResolutionEndsAsChosen()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var rig = await EngineRig.StartAsync(server.Url, log: Log);
        var ws = EngineRig.WorkspaceId;
        foreach (var entity in new[] { "keep", "take", "merge" })
        {
            await server.WriteEntityAsync(ws, entity, new { owner = "server" });
        }

        var keep = await rig.EnqueueAsync("keep", "{\"owner\":\"local\"}", expectedVersion: 0);
        var take = await rig.EnqueueAsync("take", "{\"owner\":\"local\"}", expectedVersion: 0);
        var merge = await rig.EnqueueAsync("merge", "{\"owner\":\"local\"}", expectedVersion: 0);
        await Wait.UntilAsync(async () => (await rig.Queue.GetCountsAsync()).Conflict == 3, "three conflicts");

        var conflicted = rig.Events.Where(e => e.Kind == SyncEventKind.ConflictDetected).SelectMany(e => e.Ids).ToHashSet();
        Assert.Equal(new HashSet<string> { keep, take, merge }, conflicted);
        var snapshot = (await rig.DetailsAsync(keep)).Conflict!;
        Assert.Equal(1, snapshot.ServerVersion);
        Assert.Contains("\"server\"", snapshot.ServerPayloadJson, StringComparison.Ordinal);

        await rig.Engine.ResolveConflictAsync(keep, ConflictResolution.KeepLocal, null);
        Assert.Null(await rig.Engine.ResolveConflictAsync(take, ConflictResolution.TakeServer, null));
        await rig.Engine.ResolveConflictAsync(merge, ConflictResolution.Merge, "{\"owner\":\"both\"}");
        await Wait.UntilAsync(async () => await rig.StatusAsync(keep) == OperationStatus.Succeeded && await rig.StatusAsync(merge) == OperationStatus.Succeeded, "resolved operations sent");

        var kept = await server.ReadEntityAsync(ws, "keep");
        Assert.Equal((2L, "local"), (kept!.Version, kept.Payload!.Value.GetProperty("owner").GetString()));
        var taken = await server.ReadEntityAsync(ws, "take");
        Assert.Equal((1L, "server"), (taken!.Version, taken.Payload!.Value.GetProperty("owner").GetString()));
        Assert.Null(await rig.Queue.GetAsync(take));
        var merged = await server.ReadEntityAsync(ws, "merge");
        Assert.Equal((2L, "both"), (merged!.Version, merged.Payload!.Value.GetProperty("owner").GetString()));
        Assert.Equal(3, (await server.GetStatsAsync()).Conflicts);
    }

    [Fact]
    public async Task ARejectedOperationFailsAtOnceWhileOtherEntitiesGoOn()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var rig = await EngineRig.StartAsync(server.Url, log: Log);

        var rejected = await rig.EnqueueAsync("bad", "{}", type: "test.reject.v1");
        var behindRejected = await rig.EnqueueAsync("bad", "{\"n\":2}");
        var others = new[] { await rig.EnqueueAsync("good-1", "{\"n\":1}"), await rig.EnqueueAsync("good-2", "{\"n\":1}") };

        await Wait.UntilAsync(async () => await rig.StatusAsync(rejected) == OperationStatus.Failed, "rejected");
        await Wait.UntilAsync(async () => (await Task.WhenAll(others.Select(rig.StatusAsync))).All(s => s == OperationStatus.Succeeded), "other entities synced");

        var details = await rig.DetailsAsync(rejected);
        Assert.Equal(1, details.Operation.Attempts);
        Assert.Equal("validation_failed", details.Operation.LastError!.Code);
        Assert.Equal(AttemptOutcomes.Rejected, Assert.Single(details.Attempts).Outcome);
        Assert.Contains(rig.Events, e => e.Kind == SyncEventKind.OperationFailed && e.Ids.Contains(rejected));
        // Its own entity waits behind it: order within an entity is never broken.
        Assert.Equal(OperationStatus.Pending, await rig.StatusAsync(behindRejected));
        Assert.Equal(1, (await server.GetStatsAsync()).Rejected);
    }

    [Fact]
    public async Task AnOperationTheServerKeepsDeferringFailsAfterMaxAttempts()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.SetFaultsAsync(new { perCommandRetryRate = 1.0 });
        await using var rig = await EngineRig.StartAsync(server.Url, o => o with { MaxAttempts = 3 }, Log);

        var id = await rig.EnqueueAsync("poison", "{}");
        await Wait.UntilAsync(async () => await rig.StatusAsync(id) == OperationStatus.Failed, "failed as poison");

        var details = await rig.DetailsAsync(id);
        Assert.Equal(3, details.Operation.Attempts);
        Assert.Equal("injected_retry", details.Operation.LastError!.Code);
        Assert.Equal(3, details.Attempts.Count);
        Assert.All(details.Attempts, a => Assert.Equal(AttemptOutcomes.Retry, a.Outcome));
        Assert.Equal(3, (await server.GetStatsAsync()).Retries);
        Assert.Contains(rig.Events, e => e.Kind == SyncEventKind.OperationFailed && e.Ids.Contains(id));
    }

    [Fact]
    public async Task TooManyRequestsWaitsAtLeastRetryAfter()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var rig = await EngineRig.StartAsync(server.Url, log: Log);
        // The worker asks whoami before its first send; throttling starts once that is behind it, so the operation's
        // own attempts meet the 429 (a throttled whoami only holds the worker off, attempting nothing).
        var warmUp = await rig.EnqueueAsync("warm-up", "{}");
        await Wait.UntilAsync(async () => await rig.StatusAsync(warmUp) == OperationStatus.Succeeded, "warm-up sent");
        await server.SetFaultsAsync(new { status429Rate = 1.0, retryAfterSeconds = 2 });

        var id = await rig.EnqueueAsync("slow", "{}");
        await Wait.UntilAsync(async () => (await rig.DetailsAsync(id)).Attempts.Count == 1, "first attempt throttled");
        await Wait.UntilAsync(() => rig.Engine.State.LastError is not null, "the throttle recorded");
        // A 429 is a server that answers: it stays online and only holds off.
        Assert.Equal(ConnectivityState.Online, rig.Engine.State.Connectivity);
        Assert.Equal(SyncErrorCodes.Throttled, rig.Engine.State.LastError!.Code);
        await server.SetFaultsAsync(new { status429Rate = 0.0 });
        await Wait.UntilAsync(async () => await rig.StatusAsync(id) == OperationStatus.Succeeded, "sent after Retry-After");

        var attempts = (await rig.DetailsAsync(id)).Attempts;
        Assert.Equal(2, attempts.Count);
        Assert.Equal(AttemptOutcomes.Retry, attempts[0].Outcome);
        Assert.Equal(SyncErrorCodes.Throttled, attempts[0].Error!.Code);
        Assert.True(attempts[1].StartedAt - attempts[0].FinishedAt >= TimeSpan.FromSeconds(2), $"resent after {attempts[1].StartedAt - attempts[0].FinishedAt}");
    }

    [Fact]
    public async Task UnauthorizedPausesUntilCredentialsArriveWithoutUsingAttempts()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, token: "let-me-in");
        await using var rig = await EngineRig.StartAsync(server.Url, log: Log);

        var id = await rig.EnqueueAsync("private", "{}");
        await Wait.UntilAsync(() => rig.Engine.State.Connectivity == ConnectivityState.AuthRequired, "auth required");
        Assert.Equal(1, rig.Count(SyncEventKind.AuthRequired));
        var paused = await rig.DetailsAsync(id);
        Assert.Equal((OperationStatus.Pending, 0), (paused.Operation.Status, paused.Operation.Attempts));

        rig.Engine.SetCredentials("let-me-in");
        await Wait.UntilAsync(async () => await rig.StatusAsync(id) == OperationStatus.Succeeded, "resumed with the token");

        Assert.Equal(1, (await rig.DetailsAsync(id)).Operation.Attempts);
        Assert.Equal(ConnectivityState.Online, rig.Engine.State.Connectivity);
        Assert.Equal(1, (await server.GetStatsAsync()).Applied);
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The engine may log after the test finished.
        }
    }
}
