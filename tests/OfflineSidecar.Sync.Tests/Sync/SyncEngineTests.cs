using NSubstitute;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Sync;

public sealed class SyncEngineTests
{
    [Fact]
    public async Task FlushAppliesEachCommandsOutcomeAndSummarisesOnce()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        h.StoreStub.Add("b");
        h.StoreStub.Add("c");
        h.TransportStub.Respond = ops => SendBatchResult.Ok([
            new CommandResult("a", CommandStatus.Applied, 2),
            new CommandResult("b", CommandStatus.Duplicate, 5),
            new CommandResult("c", CommandStatus.Conflict, Server: new ServerEntityState(8, "{\"v\":\"server\"}")),
        ]);

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Count(SyncEventKind.FlushCompleted) == 1, "one flush");

        Assert.Equal(OperationStatus.Succeeded, h.StoreStub.Get("a").Status);
        Assert.Equal(OperationStatus.Succeeded, h.StoreStub.Get("b").Status);
        Assert.Equal(OperationStatus.Conflict, h.StoreStub.Get("c").Status);
        var conflict = h.StoreStub.Outcomes.Single(o => o.Id == "c");
        Assert.Equal(new ConflictSnapshot(8, "{\"v\":\"server\"}", h.Time.GetUtcNow()), conflict.Conflict);

        var completed = h.Events.Single(e => e.Kind == SyncEventKind.FlushCompleted);
        Assert.Equal((3, 2, 0, 1), (completed.Total, completed.Applied, completed.Failed, completed.Conflicts));
        Assert.Equal(["c"], h.Events.Single(e => e.Kind == SyncEventKind.ConflictDetected).Ids);
        Assert.Equal(SyncEventKind.FlushStarted, h.Events[0].Kind);
        Assert.Equal("Syncing 3 operations…", h.Events[0].Message);
        Assert.Equal([SyncProgressKind.Begin, SyncProgressKind.Report, SyncProgressKind.End], h.Progress.Select(p => p.Kind));
        Assert.Single(h.Progress.Select(p => p.FlushId).Distinct());
        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.Online, h.Engine.State.Connectivity);
        Assert.NotNull(h.Engine.State.LastSyncedAt);
    }

    [Fact]
    public async Task OperationsAreMarkedSyncingWhileInFlight()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.TransportStub.Gate = release.Task;

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.TransportStub.Sent.Count == 1, "the send started");

        Assert.Equal(OperationStatus.Syncing, h.StoreStub.Get("a").Status);
        Assert.True(h.Engine.State.Syncing);
        await h.StoreStub.Store.Received(1).ClaimEligibleAsync(10, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());

        release.SetResult();
        await h.UntilAsync(() => !h.Engine.State.Syncing, "the flush ended");
        Assert.Equal(OperationStatus.Succeeded, h.StoreStub.Get("a").Status);
    }

    [Fact]
    public async Task UnauthorizedPausesTheQueueWithoutBurningAttemptsUntilNewCredentials()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a", attempts: 2);
        h.StoreStub.Add("b");
        h.Engine.SetCredentials("old");
        h.TransportStub.Respond = _ => SendBatchResult.AuthFailed(401, "token expired");

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.AuthRequired, "auth required");

        Assert.Equal(1, h.Count(SyncEventKind.AuthRequired));
        Assert.All(h.StoreStub.Outcomes, o => Assert.False(o.CountsAsAttempt));
        Assert.Equal(2, h.StoreStub.Get("a").Attempts);
        Assert.Equal(OperationStatus.Pending, h.StoreStub.Get("a").Status);
        Assert.Equal("old", h.TransportStub.Sent.Single().Token);

        // Paused: neither time nor wakes send anything.
        h.Engine.Wake();
        await h.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        Assert.Single(h.TransportStub.Sent);

        h.TransportStub.Respond = ops => SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);
        h.Engine.SetCredentials("new");
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded && h.StoreStub.Get("b").Status == OperationStatus.Succeeded, "resumed");
        Assert.Equal("new", h.TransportStub.Sent[^1].Token);
        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.Online, h.Engine.State.Connectivity);
        Assert.Equal(3, h.StoreStub.Get("a").Attempts);
    }

    [Fact]
    public async Task ARefusalOfCredentialsReplacedWhileTheBatchWasOnTheWireAsksNobodyToSignInAndResendsWithTheNewOnes()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        var onTheWire = new TaskCompletionSource();
        h.TransportStub.Gate = onTheWire.Task;
        h.TransportStub.Respond = batch => h.TransportStub.Sent.Count == 1
            ? SendBatchResult.AuthFailed(401, "no token yet")
            : SendBatchResult.Ok([.. batch.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.TransportStub.Sent.Count == 1, "the first batch left without credentials");
        // The editor's token arrives while that batch is still on the wire (a sidecar's first seconds).
        h.Engine.SetCredentials("token");
        h.TransportStub.Gate = null;
        onTheWire.SetResult();

        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "sent again and applied");
        Assert.Equal("token", h.TransportStub.Sent[^1].Token);
        Assert.Equal(0, h.Count(SyncEventKind.AuthRequired));
        Assert.NotEqual(OfflineSidecar.Core.Sync.Connectivity.AuthRequired, h.Engine.State.Connectivity);
    }

    [Fact]
    public async Task TooManyRequestsStaysOnlineAndRetryAfterHoldsTheWholeQueue()
    {
        await using var h = new EngineHarness(o => o with { BatchSize = 1 });
        h.StoreStub.Add("a");
        h.StoreStub.Add("b");
        var throttled = true;
        h.TransportStub.Respond = ops => throttled
            ? SendBatchResult.Throttled(429, TimeSpan.FromSeconds(10), "slow down")
            : SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.StoreStub.Outcomes.Count == 1, "the throttled attempt was recorded");
        var start = h.Time.GetUtcNow();
        Assert.True(h.StoreStub.Get("a").NextAttemptAt >= start + TimeSpan.FromSeconds(10));
        Assert.Equal(1, h.StoreStub.Get("a").Attempts);
        throttled = false;

        // The server answered: it is busy, not down. No probing, and the status says so.
        var probes = h.TransportStub.Probes;
        await h.AdvanceAsync(TimeSpan.FromSeconds(9.5), TimeSpan.FromMilliseconds(250));
        Assert.Single(h.TransportStub.Sent);
        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.Online, h.Engine.State.Connectivity);
        Assert.Equal(SyncErrorCodes.Throttled, h.Engine.State.LastError!.Code);
        Assert.Equal(probes, h.TransportStub.Probes);
        Assert.DoesNotContain(h.States, st => st.Connectivity != OfflineSidecar.Core.Sync.Connectivity.Online && st.LastError is not null);

        await h.AdvanceAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded && h.StoreStub.Get("b").Status == OperationStatus.Succeeded, "sent after Retry-After");
        Assert.All(h.TransportStub.Sent.Skip(1), sent => Assert.True(sent.At >= start + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ServerErrorsRetryWithBackoffUntilMaxAttemptsThenFailAsPoison()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        h.TransportStub.Respond = _ => SendBatchResult.ServerError(500, "database on fire");

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.TransportStub.Sent.Count == 1 && h.Engine.State.LastError is not null, "first attempt");
        Assert.Equal(OperationStatus.Pending, h.StoreStub.Get("a").Status);
        Assert.Equal(1, h.StoreStub.Get("a").Attempts);
        // A 5xx is a server not serving: unreachable until a health probe says otherwise.
        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.Unreachable, h.Engine.State.Connectivity);

        await h.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Failed, "poison");

        Assert.Equal(3, h.TransportStub.Sent.Count);
        Assert.Equal(3, h.StoreStub.Get("a").Attempts);
        Assert.Contains("database on fire", h.StoreStub.Get("a").LastError!.Message, StringComparison.Ordinal);
        var failed = h.Events.Single(e => e.Kind == SyncEventKind.OperationFailed);
        Assert.Equal(["a"], failed.Ids);
        Assert.Equal(3, h.Count(SyncEventKind.FlushCompleted));

        // Failed stays failed: more time sends nothing.
        await h.AdvanceAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
        Assert.Equal(3, h.TransportStub.Sent.Count);
    }

    [Fact]
    public async Task ServiceUnavailableGoesUnreachableAtOnceAndStaysSoWhileHealthAlsoAnswers503()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        h.TransportStub.Respond = _ => SendBatchResult.ServerError(503, "server unavailable (injected)", TimeSpan.FromSeconds(4));

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State is { Connectivity: OfflineSidecar.Core.Sync.Connectivity.Unreachable, LastError: not null }, "unreachable after the 503");
        // What the admin 'unavailable' fault does: health answers 503 too.
        h.TransportStub.ProbeSucceeds = false;
        var t0 = h.Time.GetUtcNow();
        var a = h.StoreStub.Get("a");
        Assert.Equal((OperationStatus.Pending, 1), (a.Status, a.Attempts));
        Assert.True(a.NextAttemptAt >= t0 + TimeSpan.FromSeconds(4), "Retry-After is a lower bound of the next attempt");
        Assert.Equal(SyncErrorCodes.ServerError, h.Engine.State.LastError!.Code);
        Assert.Contains("503", h.Engine.State.LastError.Message, StringComparison.Ordinal);
        Assert.True(h.Engine.State.IsLeader);
        var probesBefore = h.TransportStub.Probes;

        // Probes back off from ProbeMin to ProbeMax: +1, +3, +7, +15 s, then every 8 s; each 503 keeps it unreachable.
        await h.AdvanceAsync(TimeSpan.FromSeconds(15.5), TimeSpan.FromMilliseconds(100));
        var offsets = h.TransportStub.ProbeTimes.Skip(probesBefore).Select(t => (t - t0).TotalSeconds).ToList();
        Assert.True(offsets.Count == 4, string.Join(",", offsets));
        foreach (var (actual, expected) in offsets.Zip(new[] { 1.0, 3.0, 7.0, 15.0 }))
        {
            // The loop reads the clock a step after its timer fired at most.
            Assert.InRange(actual, expected, expected + 0.5);
        }

        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.Unreachable, h.Engine.State.Connectivity);
        Assert.Single(h.TransportStub.Sent);

        h.TransportStub.ProbeSucceeds = true;
        h.TransportStub.Respond = ops => SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);
        await h.AdvanceAsync(TimeSpan.FromSeconds(8), TimeSpan.FromMilliseconds(100));
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "flushed after the probe answered 200");
        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.Online, h.Engine.State.Connectivity);
        Assert.Null(h.Engine.State.LastError);
        Assert.Equal(2, h.TransportStub.Sent.Count);
    }

    [Fact]
    public async Task AProbeAnswering200GoesOnlineAtOnceAndTheFlushWaitsForRetryAfter()
    {
        await using var h = new EngineHarness(o => o with { BatchSize = 1 });
        h.StoreStub.Add("a");
        h.StoreStub.Add("b");
        var down = true;
        h.TransportStub.Respond = ops => down
            ? SendBatchResult.ServerError(503, "maintenance", TimeSpan.FromSeconds(10))
            : SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State is { Connectivity: OfflineSidecar.Core.Sync.Connectivity.Unreachable, LastError: not null }, "unreachable after the 503");
        var t0 = h.Time.GetUtcNow();
        down = false;

        // Health answers 200 at the first probe (+1 s): online at once, but nothing goes out before Retry-After.
        await h.AdvanceAsync(TimeSpan.FromSeconds(1.2), TimeSpan.FromMilliseconds(100));
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online after the good probe");
        await h.AdvanceAsync(TimeSpan.FromSeconds(8.3), TimeSpan.FromMilliseconds(250));
        Assert.Single(h.TransportStub.Sent);
        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.Online, h.Engine.State.Connectivity);

        await h.AdvanceAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded && h.StoreStub.Get("b").Status == OperationStatus.Succeeded, "flushed once Retry-After passed");
        Assert.All(h.TransportStub.Sent.Skip(1), sent => Assert.True(sent.At >= t0 + TimeSpan.FromSeconds(10), $"sent at +{(sent.At - t0).TotalSeconds} s"));
        Assert.Equal(2, h.StoreStub.Get("a").Attempts);
        Assert.Equal(1, h.StoreStub.Get("b").Attempts);
    }

    [Fact]
    public async Task SyncNowWhileUnreachableProbesAtOnceEvenWhenTheQueueIsStillBackingOff()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        h.TransportStub.Respond = _ => SendBatchResult.ServerError(503, "maintenance", TimeSpan.FromSeconds(60));
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State is { Connectivity: OfflineSidecar.Core.Sync.Connectivity.Unreachable, LastError: not null }, "unreachable after the 503");
        h.TransportStub.ProbeSucceeds = false;
        await h.AdvanceAsync(TimeSpan.FromSeconds(16), TimeSpan.FromMilliseconds(200));
        var probes = h.TransportStub.Probes;

        h.TransportStub.ProbeSucceeds = true;
        Assert.False(await h.Engine.SyncNowAsync(), "nothing is due yet");

        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online without waiting for the probe backoff");
        Assert.Equal(probes + 1, h.TransportStub.Probes);
        Assert.Single(h.TransportStub.Sent);
    }

    [Fact]
    public async Task TheLeaderFlagDropsAtTheLeaseExpiryWhenNoRenewalAnswers()
    {
        await using var h = new EngineHarness();
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online");
        var stuck = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.StoreStub.LeaseAnswer = stuck.Task;
        var published = h.States.Count;
        try
        {
            // Held until +3 s; the renewal sent at +1 s never answers.
            await h.AdvanceAsync(TimeSpan.FromSeconds(2.9), TimeSpan.FromMilliseconds(100));
            Assert.True(h.Engine.State.IsLeader);

            await h.AdvanceAsync(TimeSpan.FromSeconds(0.2), TimeSpan.FromMilliseconds(100));
            Assert.False(h.Engine.State.IsLeader);
            // Published too, so the client's status bar follows without anyone asking.
            await h.UntilAsync(() => h.States.Skip(published).Any(st => !st.IsLeader), "a state without the lease was published");
        }
        finally
        {
            h.StoreStub.LeaseAnswer = null;
            stuck.TrySetResult(true);
        }

        await h.UntilAsync(() => h.States[^1] is { IsLeader: true } && h.Engine.State.IsLeader, "leader again once the late renewal answered");
    }

    [Fact]
    public async Task AFollowerTakesAnExpiredLeaseOnItsFirstTryAfterTheExpiry()
    {
        await using var h = new EngineHarness();
        var lease = h.Options.Lease;
        // A dead leader renewed 0.4 s before we started: its lease runs until +2.6 s.
        var expiry = h.Time.GetUtcNow() + lease - TimeSpan.FromSeconds(0.4);
        var gate = new Lock();
        string? holder = "dead-leader";
        var holderUntil = expiry;
        DateTimeOffset? takenAt = null;
        h.StoreStub.LeaseRule = (owner, duration, now) =>
        {
            lock (gate)
            {
                if (holder != owner && now < holderUntil)
                {
                    return false;
                }

                takenAt ??= holder != owner ? now : null;
                (holder, holderUntil) = (owner, now + duration);
                return true;
            }
        };
        h.StoreStub.Add("a");

        await h.Engine.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(2.5), TimeSpan.FromMilliseconds(100));
        Assert.False(h.Engine.State.IsLeader);
        Assert.Empty(h.TransportStub.Sent);

        await h.AdvanceAsync(lease, TimeSpan.FromMilliseconds(100));
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "the follower took over and flushed");
        Assert.True(h.Engine.State.IsLeader);
        lock (gate)
        {
            // Tries come every lease/3, so the first one at or after the expiry takes it: handover within
            // lease + lease/3 of the dead leader's last renewal.
            Assert.NotNull(takenAt);
            Assert.InRange(takenAt.Value, expiry, expiry + (lease / 3));
        }
    }

    [Fact]
    public async Task ABackoffThatRunsOutWhileTheLoopIsBusyIsNotMissed()
    {
        await using var h = new EngineHarness();
        var dueAt = h.Time.GetUtcNow() + TimeSpan.FromSeconds(10);
        h.StoreStub.Add("a", attempts: 1, nextAttemptAt: dueAt);
        var jumpOnNextRead = 0;
        h.StoreStub.Store.GetNextDueAtAsync(default).ReturnsForAnyArgs(_ =>
        {
            // The clock passes the due time between the engine's claim and its read of the next due time.
            if (Interlocked.Exchange(ref jumpOnNextRead, 0) == 1)
            {
                h.Time.Advance(TimeSpan.FromSeconds(11));
            }

            return Task.FromResult<DateTimeOffset?>(h.StoreStub.Get("a").Status == OperationStatus.Pending ? dueAt : null);
        });
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online");
        // Whatever the start-up wake leads to is over before the clock is set to jump.
        await Eventually.StepInProgressDoneAsync(h.Engine);

        Interlocked.Exchange(ref jumpOnNextRead, 1);
        h.Engine.Wake();

        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "sent without any further wake or clock move");
    }

    [Fact]
    public async Task RejectedFailsAtOnceWhileOthersSucceed()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("bad");
        h.StoreStub.Add("good");
        h.TransportStub.Respond = ops => SendBatchResult.Ok([.. ops.Select(o => o.Id == "bad"
            ? new CommandResult(o.Id, CommandStatus.Rejected, Code: "invalid", Message: "no title")
            : new CommandResult(o.Id, CommandStatus.Applied, 1))]);

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Count(SyncEventKind.FlushCompleted) == 1, "flush");

        Assert.Equal(OperationStatus.Failed, h.StoreStub.Get("bad").Status);
        Assert.Equal(new OperationError("invalid", "no title"), h.StoreStub.Get("bad").LastError);
        Assert.Equal(OperationStatus.Succeeded, h.StoreStub.Get("good").Status);
        Assert.Single(h.TransportStub.Sent);
    }

    [Fact]
    public async Task WithoutTheLeaseNothingIsFlushed()
    {
        await using var h = new EngineHarness();
        h.StoreStub.LeaseGranted = false;
        h.StoreStub.Add("a");

        await h.Engine.StartAsync();
        h.Engine.Wake();
        await h.AdvanceAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250));

        Assert.False(h.Engine.State.IsLeader);
        Assert.False(await h.Engine.SyncNowAsync());
        Assert.Empty(h.TransportStub.Sent);
        await h.StoreStub.Store.DidNotReceiveWithAnyArgs().ClaimEligibleAsync(default, default, default);
        await h.StoreStub.Store.DidNotReceiveWithAnyArgs().RecoverInterruptedAsync(default);
    }

    [Fact]
    public async Task AFollowerTakesOverWhenTheLeaseFreesUpAndRecoversFirst()
    {
        await using var h = new EngineHarness();
        h.StoreStub.LeaseGranted = false;
        h.StoreStub.Add("a");
        await h.Engine.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250));
        Assert.Empty(h.TransportStub.Sent);

        h.StoreStub.LeaseGranted = true;
        // Renewal attempts come every third of the 3 s lease.
        await h.AdvanceAsync(TimeSpan.FromSeconds(1.1), TimeSpan.FromMilliseconds(100));
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "the new leader flushed");

        Assert.True(h.Engine.State.IsLeader);
        await h.StoreStub.Store.Received().RecoverInterruptedAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ALeaseThatLapsedAndIsRenewedLateResumesFlushing()
    {
        await using var h = new EngineHarness();
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online");
        var slowStore = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.StoreStub.LeaseAnswer = slowStore.Task;

        // Held until 3 s; the renewal sent at 1 s is stuck, so at 3.5 s this sidecar is no longer the leader.
        try
        {
            await h.AdvanceAsync(TimeSpan.FromSeconds(3.5), TimeSpan.FromMilliseconds(250));
            h.StoreStub.Add("a");
            await Eventually.LoopSettledAfterAsync(h.Engine, h.Engine.Wake);
            Assert.Empty(h.TransportStub.Sent);
        }
        finally
        {
            h.StoreStub.LeaseAnswer = null;
            slowStore.TrySetResult(true);
        }

        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "flushing again once the lease is back");
    }

    [Fact]
    public async Task TheLeaseIsRenewedEveryThirdAndReleasedOnDispose()
    {
        var h = new EngineHarness();
        await h.Engine.StartAsync();
        h.StoreStub.Store.ClearReceivedCalls();

        await h.AdvanceAsync(TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));
        var renewals = h.StoreStub.Store.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(ISyncStore.TryAcquireLeaseAsync));
        Assert.InRange(renewals, 3, 4);

        await h.DisposeAsync();
        await h.StoreStub.Store.Received(1).ReleaseLeaseAsync(Arg.Any<string>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ANetworkFailureGoesUnreachableAndProbesWithBackoffUntilTheServerIsBack()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        h.TransportStub.Respond = _ => SendBatchResult.NetworkError("connection refused");

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.TransportStub.Sent.Count == 1 && h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Unreachable, "unreachable after the failed send");
        h.TransportStub.ProbeSucceeds = false;
        var probesBefore = h.TransportStub.Probes;

        // Probes at +1, +3, +7, +15 s (1, 2, 4, 8 s apart, ProbeMax 8 s), then every 8 s.
        var t0 = h.Time.GetUtcNow();
        await h.AdvanceAsync(TimeSpan.FromSeconds(15.5), TimeSpan.FromMilliseconds(100));
        Assert.True(4 == h.TransportStub.Probes - probesBefore, string.Join(",", h.TransportStub.ProbeTimes.Select(t => (t - t0).TotalSeconds)));
        await h.AdvanceAsync(TimeSpan.FromSeconds(8), TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, h.TransportStub.Probes - probesBefore);
        Assert.Single(h.TransportStub.Sent);

        h.TransportStub.Respond = ops => SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);
        h.TransportStub.ProbeSucceeds = true;
        await h.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "flushed once back online");
        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.Online, h.Engine.State.Connectivity);

        // Online and idle: no more probing.
        var probesOnline = h.TransportStub.Probes;
        await h.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
        Assert.Equal(probesOnline, h.TransportStub.Probes);
    }

    [Fact]
    public async Task ANetworkChangeProbesImmediately()
    {
        await using var h = new EngineHarness();
        h.TransportStub.ProbeSucceeds = false;
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.TransportStub.Probes == 1, "first probe");
        await h.AdvanceAsync(TimeSpan.FromSeconds(16), TimeSpan.FromMilliseconds(200));
        var before = h.TransportStub.Probes;

        h.TransportStub.ProbeSucceeds = true;
        h.Network.Changed += Raise.Event();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online without waiting for the backoff");
        Assert.Equal(before + 1, h.TransportStub.Probes);
    }

    [Fact]
    public async Task WorkingOfflineSendsNothingAndSyncNowRefuses()
    {
        await using var h = new EngineHarness(o => o with { WorkOffline = true });
        h.StoreStub.Add("a");

        await h.Engine.StartAsync();
        h.Engine.Wake();
        await h.AdvanceAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250));

        Assert.Equal(OfflineSidecar.Core.Sync.Connectivity.WorkingOffline, h.Engine.State.Connectivity);
        Assert.False(await h.Engine.SyncNowAsync());
        Assert.Empty(h.TransportStub.Sent);
        Assert.Equal(0, h.TransportStub.Probes);

        h.Engine.SetWorkOffline(false);
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "sent once back");
    }

    [Fact]
    public async Task ManualModeFlushesOnlyOnSyncNow()
    {
        await using var h = new EngineHarness(o => o with { Mode = SyncMode.Manual });
        h.StoreStub.Add("a");

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online");
        h.Engine.Wake();
        await h.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
        Assert.Empty(h.TransportStub.Sent);

        Assert.True(await h.Engine.SyncNowAsync());
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "sync now");
        Assert.False(await h.Engine.SyncNowAsync());
    }

    [Fact]
    public async Task PeriodicModeFlushesEveryIntervalWhileThereIsWork()
    {
        await using var h = new EngineHarness(o => o with { Mode = SyncMode.Periodic, SyncInterval = TimeSpan.FromSeconds(10) });
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online");
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));

        h.StoreStub.Add("a");
        h.Engine.Wake();
        await h.AdvanceAsync(TimeSpan.FromSeconds(9), TimeSpan.FromMilliseconds(250));
        Assert.Empty(h.TransportStub.Sent);

        await h.AdvanceAsync(TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(100));
        await h.UntilAsync(() => h.StoreStub.Get("a").Status == OperationStatus.Succeeded, "periodic flush");
        Assert.Single(h.TransportStub.Sent);
    }

    [Fact]
    public async Task ABatchRefusedAsTooLargeIsSplitSoOnlyTheCulpritFails()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("small-1");
        h.StoreStub.Add("huge");
        h.StoreStub.Add("small-2");
        h.TransportStub.Respond = ops => ops.Any(o => o.Id == "huge")
            ? SendBatchResult.TooLarge("request entity too large")
            : SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Count(SyncEventKind.FlushCompleted) == 1, "flush");

        Assert.Equal(OperationStatus.Failed, h.StoreStub.Get("huge").Status);
        Assert.Equal(SyncErrorCodes.PayloadTooLarge, h.StoreStub.Get("huge").LastError!.Code);
        Assert.Equal(OperationStatus.Succeeded, h.StoreStub.Get("small-1").Status);
        Assert.Equal(OperationStatus.Succeeded, h.StoreStub.Get("small-2").Status);
    }

    [Fact]
    public async Task CountsChangeOnlyWhenTheStoreStampMoves()
    {
        await using var h = new EngineHarness(o => o with { WorkOffline = true });
        var raised = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Engine.CountsChanged += (_, _) =>
        {
            if (Interlocked.Increment(ref raised) == 2)
            {
                second.TrySetResult();
            }
        };
        await h.Engine.StartAsync();
        Assert.Equal(1, raised);

        await h.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, raised);

        h.StoreStub.Add("from-another-process");
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(600));
        // Counts refreshed within a second (of the fake clock): the watcher's timer fired during the advance.
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, h.Engine.Counts.Pending);
    }

    [Fact]
    public async Task ALeaderSeesWorkFromAnotherProcessWithoutAWake()
    {
        await using var h = new EngineHarness();
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online");

        h.StoreStub.Add("enqueued-elsewhere");
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(600));
        await h.UntilAsync(() => h.StoreStub.Get("enqueued-elsewhere").Status == OperationStatus.Succeeded, "flushed by the watcher's wake");
    }

    [Fact]
    public async Task ResolvingAConflictDelegatesToTheStoreAndWakes()
    {
        await using var h = new EngineHarness();
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.Online, "online");
        h.StoreStub.Store.ResolveConflictAsync("c", ConflictResolution.KeepLocal, null, Arg.Any<CancellationToken>())
            .Returns(_ => Task.FromResult<Operation?>(h.StoreStub.Add("c")));

        var resolved = await h.Engine.ResolveConflictAsync("c", ConflictResolution.KeepLocal, null);

        Assert.Equal("c", resolved!.Id);
        await h.UntilAsync(() => h.StoreStub.Get("c").Status == OperationStatus.Succeeded, "the resolved operation is sent");
    }

    [Fact]
    public async Task PlainHttpToARemoteHostIsRefused()
    {
        await using var h = new EngineHarness();
        Assert.Throws<ArgumentException>(() => h.Engine.UpdateOptions(h.Options with { ServerUrl = new Uri("http://sync.example.com/") }));
        h.Engine.UpdateOptions(h.Options with { ServerUrl = new Uri("https://sync.example.com/") });
        Assert.Equal("https://sync.example.com/", h.Engine.State.ServerUrl);
    }

    [Fact]
    public async Task InterruptedOperationsAreRecoveredAtStartAndSucceededOnesPruned()
    {
        await using var h = new EngineHarness();
        await h.Engine.StartAsync();

        await h.StoreStub.Store.Received(1).RecoverInterruptedAsync(Arg.Any<CancellationToken>());
        await h.StoreStub.Store.Received(1).PruneSucceededAsync(h.Time.GetUtcNow() - h.Options.SucceededRetention, Arg.Any<CancellationToken>());
    }
}
