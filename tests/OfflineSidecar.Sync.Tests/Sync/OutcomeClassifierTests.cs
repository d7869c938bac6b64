using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Sync;

public sealed class OutcomeClassifierTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Finished = Started.AddMilliseconds(250);
    private readonly OutcomeClassifier classifier = new(maxAttempts: 3, new RetrySchedule(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), new FixedRandom(0.5)));

    private static Operation Op(string id, int attempts = 0) => new()
    {
        Id = id,
        WorkspaceId = "ws",
        Type = "document.put.v1",
        EntityId = "e-" + id,
        PayloadJson = "{}",
        IdempotencyKey = "k-" + id,
        Attempts = attempts,
        ExpectedVersion = 3,
    };

    [Fact]
    public void AppliedAndDuplicateSucceedWithTheServerVersion()
    {
        var outcomes = classifier.Classify(
            [Op("a"), Op("b")],
            SendBatchResult.Ok([new CommandResult("a", CommandStatus.Applied, 4), new CommandResult("b", CommandStatus.Duplicate, 7)]),
            Started,
            Finished);

        Assert.Collection(
            outcomes,
            a =>
            {
                Assert.Equal(OperationStatus.Succeeded, a.NewStatus);
                Assert.Equal(AttemptOutcomes.Applied, a.AttemptOutcome);
                Assert.Equal(4, a.ServerVersion);
            },
            b =>
            {
                Assert.Equal(OperationStatus.Succeeded, b.NewStatus);
                Assert.Equal(AttemptOutcomes.Duplicate, b.AttemptOutcome);
                Assert.Equal(7, b.ServerVersion);
            });
    }

    [Fact]
    public void ConflictKeepsTheServersCopy()
    {
        var outcome = classifier.FromCommandResult(Op("a"), new CommandResult("a", CommandStatus.Conflict, Server: new ServerEntityState(9, "{\"title\":\"theirs\"}")), Started, Finished);

        Assert.Equal(OperationStatus.Conflict, outcome.NewStatus);
        Assert.Equal(AttemptOutcomes.Conflict, outcome.AttemptOutcome);
        Assert.Equal(9, outcome.ServerVersion);
        Assert.Equal(new ConflictSnapshot(9, "{\"title\":\"theirs\"}", Finished), outcome.Conflict);
    }

    [Fact]
    public void RejectedFailsAtOnceWithTheServersCodeAndMessage()
    {
        var outcome = classifier.FromCommandResult(Op("a"), new CommandResult("a", CommandStatus.Rejected, Code: "validation", Message: "title: required"), Started, Finished);

        Assert.Equal(OperationStatus.Failed, outcome.NewStatus);
        Assert.Equal(AttemptOutcomes.Rejected, outcome.AttemptOutcome);
        Assert.Equal(new OperationError("validation", "title: required"), outcome.Error);
        Assert.Null(outcome.NextAttemptAt);
    }

    [Fact]
    public void RetryGoesBackToPendingWithBackoffFromTheAttemptsSoFar()
    {
        var first = classifier.FromCommandResult(Op("a", attempts: 0), new CommandResult("a", CommandStatus.Retry), Started, Finished);
        var second = classifier.FromCommandResult(Op("a", attempts: 1), new CommandResult("a", CommandStatus.Retry), Started, Finished);

        Assert.Equal(OperationStatus.Pending, first.NewStatus);
        Assert.True(first.CountsAsAttempt);
        Assert.Equal(AttemptOutcomes.Retry, first.AttemptOutcome);
        // Jitter 0.5 over [0.2 s, ceiling]: 1.1 s after the first attempt, 2.1 s after the second.
        Assert.Equal(Finished + TimeSpan.FromMilliseconds(1100), first.NextAttemptAt);
        Assert.Equal(Finished + TimeSpan.FromMilliseconds(2100), second.NextAttemptAt);
    }

    [Theory]
    [InlineData(SendBatchResultKind.ServerError, SyncErrorCodes.ServerError)]
    [InlineData(SendBatchResultKind.NetworkError, SyncErrorCodes.Network)]
    public void WholeRequestFailuresAreRetriedWithAnError(SendBatchResultKind kind, string code)
    {
        var result = kind == SendBatchResultKind.ServerError ? SendBatchResult.ServerError(500, "boom") : SendBatchResult.NetworkError("connection refused");
        var outcome = Assert.Single(classifier.Classify([Op("a")], result, Started, Finished));

        Assert.Equal(OperationStatus.Pending, outcome.NewStatus);
        Assert.Equal(AttemptOutcomes.Error, outcome.AttemptOutcome);
        Assert.Equal(code, outcome.Error!.Code);
        Assert.NotNull(outcome.NextAttemptAt);
    }

    [Fact]
    public void TimeoutIsRecordedAsTimeout()
    {
        var outcome = Assert.Single(classifier.Classify([Op("a")], SendBatchResult.NetworkError("no answer", timedOut: true), Started, Finished));
        Assert.Equal(SyncErrorCodes.Timeout, outcome.Error!.Code);
    }

    [Fact]
    public void ThrottleHonoursRetryAfterAsALowerBound()
    {
        var outcome = Assert.Single(classifier.Classify([Op("a")], SendBatchResult.Throttled(429, TimeSpan.FromSeconds(45), "slow down"), Started, Finished));

        Assert.Equal(OperationStatus.Pending, outcome.NewStatus);
        Assert.Equal(AttemptOutcomes.Retry, outcome.AttemptOutcome);
        Assert.Equal(Finished + TimeSpan.FromSeconds(45), outcome.NextAttemptAt);
    }

    [Fact]
    public void ServiceUnavailableHonoursRetryAfterAsALowerBound()
    {
        var outcome = Assert.Single(classifier.Classify([Op("a")], SendBatchResult.ServerError(503, "maintenance", TimeSpan.FromSeconds(45)), Started, Finished));

        Assert.Equal(OperationStatus.Pending, outcome.NewStatus);
        Assert.Equal(AttemptOutcomes.Error, outcome.AttemptOutcome);
        Assert.Equal(SyncErrorCodes.ServerError, outcome.Error!.Code);
        Assert.Contains("503", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Finished + TimeSpan.FromSeconds(45), outcome.NextAttemptAt);
    }

    [Fact]
    public void ReachingMaxAttemptsFailsAsPoisonWithTheLastError()
    {
        var outcome = Assert.Single(classifier.Classify([Op("a", attempts: 2)], SendBatchResult.ServerError(500, "boom"), Started, Finished));

        Assert.Equal(OperationStatus.Failed, outcome.NewStatus);
        Assert.True(outcome.CountsAsAttempt);
        Assert.Null(outcome.NextAttemptAt);
        Assert.Equal(SyncErrorCodes.ServerError, outcome.Error!.Code);
        Assert.Contains("Gave up after 3 attempts", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Contains("boom", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthFailurePausesWithoutBurningAnAttempt()
    {
        var outcomes = classifier.Classify([Op("a", attempts: 2), Op("b")], SendBatchResult.AuthFailed(401, "bad token"), Started, Finished);

        Assert.All(outcomes, o =>
        {
            Assert.Equal(OperationStatus.Pending, o.NewStatus);
            Assert.False(o.CountsAsAttempt);
            Assert.Null(o.NextAttemptAt);
            Assert.Equal(SyncErrorCodes.Unauthorized, o.Error!.Code);
        });
    }

    [Fact]
    public void TooLargeFailsASingleOperationButOnlyRetriesABatch()
    {
        var alone = Assert.Single(classifier.Classify([Op("a")], SendBatchResult.TooLarge("413"), Started, Finished));
        Assert.Equal(OperationStatus.Failed, alone.NewStatus);
        Assert.Equal(SyncErrorCodes.PayloadTooLarge, alone.Error!.Code);

        var batch = classifier.Classify([Op("a"), Op("b")], SendBatchResult.BadRequest("bad"), Started, Finished);
        Assert.All(batch, o => Assert.Equal(OperationStatus.Pending, o.NewStatus));
    }

    [Fact]
    public void AnOperationTheServerDidNotAnswerIsRetried()
    {
        var outcomes = classifier.Classify([Op("a"), Op("b")], SendBatchResult.Ok([new CommandResult("a", CommandStatus.Applied, 1)]), Started, Finished);

        Assert.Equal(OperationStatus.Succeeded, outcomes[0].NewStatus);
        Assert.Equal(OperationStatus.Pending, outcomes[1].NewStatus);
        Assert.Equal(SyncErrorCodes.MissingResult, outcomes[1].Error!.Code);
    }
}
