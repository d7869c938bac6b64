using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class QueueActionsTests : StoreTestBase
{
    [Fact]
    public async Task Retry_moves_failed_to_pending_with_attempts_reset()
    {
        var op = await EnqueueAsync("doc");
        await ClaimIdsAsync();
        await CompleteAsync(op.Id, OperationStatus.Failed, "rejected", new OperationError("validation", "bad title"));
        Assert.Equal(1, (await GetAsync(op.Id)).Attempts);

        Assert.Equal(1, await Queue.RetryAsync([op.Id], allFailed: false));

        var retried = await GetAsync(op.Id);
        Assert.Equal(OperationStatus.Pending, retried.Status);
        Assert.Equal(0, retried.Attempts);
        Assert.Null(retried.NextAttemptAt);
        Assert.Equal([op.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Retry_makes_a_backoff_wait_due_now_and_ignores_other_statuses()
    {
        var waiting = await EnqueueAsync();
        var syncing = await EnqueueAsync();
        await ClaimIdsAsync();
        await Queue.ApplyOutcomesAsync([Outcome(waiting.Id, OperationStatus.Pending, Clock.GetUtcNow(), "retry") with
        {
            NextAttemptAt = Clock.GetUtcNow().AddMinutes(5),
        }]);
        var plain = await EnqueueAsync();

        Assert.Equal(1, await Queue.RetryAsync([waiting.Id, syncing.Id, plain.Id, "missing"], allFailed: false));

        Assert.Null((await GetAsync(waiting.Id)).NextAttemptAt);
        Assert.Equal(OperationStatus.Syncing, (await GetAsync(syncing.Id)).Status);
        Assert.Equal([waiting.Id, plain.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Retry_all_failed_takes_every_failed_operation_of_the_workspace_only()
    {
        var a = await EnqueueAsync("a");
        var b = await EnqueueAsync("b");
        var other = Store.Workspace("other");
        var theirs = await EnqueueAsync(other);
        await ClaimIdsAsync();
        await other.ClaimEligibleAsync(10, Clock.GetUtcNow());
        await CompleteAsync(a.Id, OperationStatus.Failed, "rejected");
        await CompleteAsync(b.Id, OperationStatus.Failed, "rejected");
        await other.ApplyOutcomesAsync([Outcome(theirs.Id, OperationStatus.Failed, Clock.GetUtcNow(), "rejected")]);

        Assert.Equal(2, await Queue.RetryAsync(null, allFailed: true));

        Assert.Equal(new QueueCounts(2, 0, 0, 0, 0), await Queue.GetCountsAsync());
        Assert.Equal(1, (await other.GetCountsAsync()).Failed);
    }

    [Fact]
    public async Task Discard_skips_syncing_operations()
    {
        var syncing = await EnqueueAsync();
        await ClaimIdsAsync();
        var pending = await EnqueueAsync();

        Assert.Equal(1, await Queue.DiscardAsync([syncing.Id, pending.Id]));

        Assert.NotNull(await Queue.GetAsync(syncing.Id));
        Assert.Null(await Queue.GetAsync(pending.Id));
    }

    [Fact]
    public async Task Update_replaces_the_payload_of_a_pending_operation()
    {
        var op = await EnqueueAsync(payload: """{"v":1}""");
        Clock.Advance(TimeSpan.FromSeconds(1));

        var updated = await Queue.UpdatePayloadAsync(op.Id, """{"v":"two"}""");

        Assert.Equal("""{"v":"two"}""", updated.PayloadJson);
        Assert.Equal(11, updated.PayloadBytes);
        Assert.Equal(Clock.GetUtcNow(), updated.UpdatedAt);
        Assert.Equal(updated, await GetAsync(op.Id));
    }

    [Fact]
    public async Task Update_refuses_when_not_pending_or_missing_or_invalid()
    {
        var op = await EnqueueAsync();
        await ClaimIdsAsync();

        var notPending = await Assert.ThrowsAsync<QueueException>(() => Queue.UpdatePayloadAsync(op.Id, "{}"));
        var missing = await Assert.ThrowsAsync<QueueException>(() => Queue.UpdatePayloadAsync("missing", "{}"));
        var invalid = await Assert.ThrowsAsync<QueueException>(() => Queue.UpdatePayloadAsync(op.Id, "{nope"));

        Assert.Equal(QueueErrorKind.InvalidState, notPending.Kind);
        Assert.Equal(QueueErrorKind.NotFound, missing.Kind);
        Assert.Equal(QueueErrorKind.InvalidArgument, invalid.Kind);
    }

    [Fact]
    public async Task Prioritize_moves_an_operation_ahead_of_other_entities()
    {
        var first = await EnqueueAsync("a");
        var second = await EnqueueAsync("b");

        var prioritized = await Queue.PrioritizeAsync(second.Id);

        Assert.Equal(OperationPriority.High, prioritized.Priority);
        Assert.Equal([second.Id, first.Id], await ClaimIdsAsync());
        Assert.Equal(QueueErrorKind.NotFound, (await Assert.ThrowsAsync<QueueException>(() => Queue.PrioritizeAsync("missing"))).Kind);
    }

    [Fact]
    public async Task Clear_by_default_removes_everything_but_syncing()
    {
        var syncing = await EnqueueAsync("a");
        await ClaimIdsAsync();
        await EnqueueAsync("a");
        await EnqueueAsync();

        Assert.Equal(2, await Queue.ClearAsync(null));
        Assert.Equal(0, await Queue.ClearAsync([OperationStatus.Syncing]));

        Assert.Equal(new QueueCounts(0, 1, 0, 0, 0), await Queue.GetCountsAsync());
        Assert.NotNull(await Queue.GetAsync(syncing.Id));
    }

    [Fact]
    public async Task Clear_with_statuses_removes_only_those()
    {
        var failed = await EnqueueAsync("a");
        await ClaimIdsAsync();
        await CompleteAsync(failed.Id, OperationStatus.Failed, "rejected");
        var pending = await EnqueueAsync("b");

        Assert.Equal(1, await Queue.ClearAsync([OperationStatus.Failed]));

        Assert.Null(await Queue.GetAsync(failed.Id));
        Assert.NotNull(await Queue.GetAsync(pending.Id));
    }

    [Fact]
    public async Task The_delivering_attempt_is_kept_in_the_operation_row_and_ends_its_history()
    {
        var op = await EnqueueAsync("doc");
        var started = Clock.GetUtcNow();
        await ClaimIdsAsync();
        await Queue.ApplyOutcomesAsync([Outcome(op.Id, OperationStatus.Pending, started, "retry") with
        {
            Error = new OperationError("unreachable", "connection refused"),
            NextAttemptAt = started,
        }]);
        Clock.Advance(TimeSpan.FromSeconds(3));
        var resent = Clock.GetUtcNow();
        await ClaimIdsAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Queue.ApplyOutcomesAsync([Outcome(op.Id, OperationStatus.Succeeded, resent, "duplicate") with { FinishedAt = Clock.GetUtcNow() }]);

        var details = (await Queue.GetAsync(op.Id))!;

        Assert.Equal(
            [
                new AttemptRecord(1, started, started, "retry", new OperationError("unreachable", "connection refused")),
                new AttemptRecord(2, resent, Clock.GetUtcNow(), "duplicate", null),
            ],
            details.Attempts);
        Assert.Equal(1L, SqliteFile.Scalar(DatabasePath, "SELECT COUNT(*) FROM attempts;"));
        Assert.Equal("duplicate", SqliteFile.Scalar(DatabasePath, "SELECT delivery_outcome FROM operations;"));
    }

    [Fact]
    public async Task Get_returns_payload_attempt_history_and_conflict_snapshot()
    {
        var op = await EnqueueAsync("doc", payload: """{"title":"mine"}""");
        var started = Clock.GetUtcNow();
        await ClaimIdsAsync();
        Clock.Advance(TimeSpan.FromSeconds(2));
        await Queue.ApplyOutcomesAsync([Outcome(op.Id, OperationStatus.Pending, started, "retry") with
        {
            FinishedAt = Clock.GetUtcNow(),
            Error = new OperationError("unreachable", "connection refused"),
            NextAttemptAt = Clock.GetUtcNow(),
        }]);
        await ClaimIdsAsync();
        await Queue.ApplyOutcomesAsync([Outcome(op.Id, OperationStatus.Conflict, Clock.GetUtcNow(), "conflict") with
        {
            Conflict = new ConflictSnapshot(7, """{"title":"theirs"}""", Clock.GetUtcNow()),
        }]);

        var details = await Queue.GetAsync(op.Id);

        Assert.NotNull(details);
        Assert.Equal("""{"title":"mine"}""", details.Operation.PayloadJson);
        Assert.Equal(2, details.Operation.Attempts);
        Assert.Equal(
            [
                new AttemptRecord(1, started, started.AddSeconds(2), "retry", new OperationError("unreachable", "connection refused")),
                new AttemptRecord(2, Clock.GetUtcNow(), Clock.GetUtcNow(), "conflict", null),
            ],
            details.Attempts);
        Assert.Equal(new ConflictSnapshot(7, """{"title":"theirs"}""", Clock.GetUtcNow()), details.Conflict);
        Assert.Null(await Queue.GetAsync("missing"));
    }
}
