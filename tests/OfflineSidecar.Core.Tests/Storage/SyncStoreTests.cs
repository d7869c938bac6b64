using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class SyncStoreTests : StoreTestBase
{
    [Fact]
    public async Task Claimed_operations_carry_payloads_and_are_syncing()
    {
        var op = await EnqueueAsync(Queue, "doc", payload: """{"a":[1,2]}""", expectedVersion: 3);

        var claimed = Assert.Single(await Queue.ClaimEligibleAsync(10, Clock.GetUtcNow()));

        Assert.Equal(op.Id, claimed.Id);
        Assert.Equal("""{"a":[1,2]}""", claimed.PayloadJson);
        Assert.Equal(op.Id, claimed.IdempotencyKey);
        Assert.Equal(3, claimed.ExpectedVersion);
        Assert.Equal(OperationStatus.Syncing, claimed.Status);
        var stored = await GetAsync(op.Id);
        Assert.Equal(OperationStatus.Syncing, stored.Status);
        // The claim's stamp, which ReleaseUnsent fences on, is what the caller holds.
        Assert.Equal(stored.UpdatedAt, claimed.UpdatedAt);
    }

    [Fact]
    public async Task Unsent_claims_go_back_to_pending_without_an_attempt_and_stay_first_in_line()
    {
        var first = await EnqueueAsync("doc");
        var second = await EnqueueAsync("doc");
        var other = await EnqueueAsync("other");
        var claimed = await Queue.ClaimEligibleAsync(10, Clock.GetUtcNow());
        Assert.Equal([first.Id, other.Id], claimed.Select(o => o.Id));

        Assert.Equal(2, await Queue.ReleaseUnsentAsync(claimed));

        Assert.Equal(OperationStatus.Pending, (await GetAsync(first.Id)).Status);
        Assert.Empty((await Queue.GetAsync(first.Id))!.Attempts);
        Assert.Equal(0, (await GetAsync(first.Id)).Attempts);
        var again = await Queue.ClaimEligibleAsync(10, Clock.GetUtcNow());
        Assert.Equal([first.Id, other.Id], again.Select(o => o.Id));
        Assert.DoesNotContain(second.Id, again.Select(o => o.Id));
    }

    [Fact]
    public async Task Releasing_leaves_rows_that_were_claimed_again_or_answered_alone()
    {
        var a = await EnqueueAsync("a");
        var b = await EnqueueAsync("b");
        var stale = await Queue.ClaimEligibleAsync(10, Clock.GetUtcNow());
        await Queue.ApplyOutcomesAsync([Outcome(a.Id, OperationStatus.Succeeded, Clock.GetUtcNow())]);
        // b recovered by another flusher and claimed again later: a different claim stamp.
        Assert.Equal(1, await Queue.RecoverInterruptedAsync());
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(await Queue.ClaimEligibleAsync(10, Clock.GetUtcNow()));

        Assert.Equal(0, await Queue.ReleaseUnsentAsync(stale));

        Assert.Equal(OperationStatus.Succeeded, (await GetAsync(a.Id)).Status);
        Assert.Equal(OperationStatus.Syncing, (await GetAsync(b.Id)).Status);
    }

    [Fact]
    public async Task Interrupted_operations_go_back_to_pending_after_a_reopen()
    {
        var first = await EnqueueAsync("doc");
        var second = await EnqueueAsync("doc");
        await ClaimIdsAsync();

        var reopened = await ReopenAsync();
        Assert.Equal(1, await reopened.RecoverInterruptedAsync());

        var again = await reopened.ClaimEligibleAsync(10, Clock.GetUtcNow());
        Assert.Equal([first.Id], again.Select(o => o.Id));
        Assert.Equal(first.Id, again[0].IdempotencyKey);
        Assert.Equal(0, again[0].Attempts);
        Assert.NotEqual(second.Id, again[0].Id);
    }

    [Fact]
    public async Task Illegal_outcome_is_refused_and_nothing_of_the_batch_is_applied()
    {
        var a = await EnqueueAsync();
        var b = await EnqueueAsync();
        await ClaimIdsAsync();

        var refusal = await Assert.ThrowsAsync<QueueException>(() => Queue.ApplyOutcomesAsync(
        [
            Outcome(a.Id, OperationStatus.Succeeded, Clock.GetUtcNow()),
            Outcome(b.Id, OperationStatus.Syncing, Clock.GetUtcNow()),
        ]));

        Assert.Equal(QueueErrorKind.InvalidState, refusal.Kind);
        Assert.Equal(OperationStatus.Syncing, (await GetAsync(a.Id)).Status);
        Assert.Empty((await Queue.GetAsync(a.Id))!.Attempts);
    }

    [Fact]
    public async Task Outcome_for_an_operation_no_longer_syncing_is_ignored()
    {
        var a = await EnqueueAsync();
        var b = await EnqueueAsync();
        await ClaimIdsAsync();
        // Another process took over (this one lost its lease): it recovered both and sent a again.
        var otherProcess = Open().Workspace(Queue.WorkspaceId);
        await otherProcess.RecoverInterruptedAsync();
        Assert.Equal([a.Id], (await otherProcess.ClaimEligibleAsync(1, Clock.GetUtcNow())).Select(o => o.Id));

        await Queue.ApplyOutcomesAsync(
        [
            Outcome(a.Id, OperationStatus.Succeeded, Clock.GetUtcNow()),
            Outcome(b.Id, OperationStatus.Succeeded, Clock.GetUtcNow()),
            Outcome("deleted-meanwhile", OperationStatus.Succeeded, Clock.GetUtcNow()),
        ]);
        // Same idempotency key, so the server's answer to either send describes the operation; the first one recorded wins.
        await otherProcess.ApplyOutcomesAsync([Outcome(a.Id, OperationStatus.Failed, Clock.GetUtcNow(), "rejected")]);

        Assert.Equal(OperationStatus.Succeeded, (await GetAsync(a.Id)).Status);
        Assert.Single((await Queue.GetAsync(a.Id))!.Attempts);
        Assert.Equal(OperationStatus.Pending, (await GetAsync(b.Id)).Status);
        Assert.Empty((await Queue.GetAsync(b.Id))!.Attempts);
    }

    [Fact]
    public async Task Unknown_attempt_word_is_refused()
    {
        var a = await EnqueueAsync();
        await ClaimIdsAsync();

        var refusal = await Assert.ThrowsAsync<QueueException>(() => CompleteAsync(a.Id, OperationStatus.Succeeded, "done"));

        Assert.Equal(QueueErrorKind.InvalidArgument, refusal.Kind);
    }

    [Fact]
    public async Task Auth_pause_does_not_count_as_an_attempt_but_is_remembered()
    {
        var a = await EnqueueAsync();
        await ClaimIdsAsync();

        await Queue.ApplyOutcomesAsync([Outcome(a.Id, OperationStatus.Pending, Clock.GetUtcNow(), "error") with
        {
            CountsAsAttempt = false,
            Error = new OperationError("authRequired", "sign in"),
        }]);

        var details = (await Queue.GetAsync(a.Id))!;
        Assert.Equal(0, details.Operation.Attempts);
        Assert.Equal(new OperationError("authRequired", "sign in"), details.Operation.LastError);
        Assert.Single(details.Attempts);
    }

    [Fact]
    public async Task Keep_local_requeues_against_the_server_version()
    {
        var op = await ConflictAsync(expectedVersion: 1, serverVersion: 5);

        var resolved = await Queue.ResolveConflictAsync(op.Id, ConflictResolution.KeepLocal, null);

        Assert.NotNull(resolved);
        Assert.Equal(OperationStatus.Pending, resolved.Status);
        Assert.Equal(5, resolved.ExpectedVersion);
        Assert.Equal("""{"mine":1}""", resolved.PayloadJson);
        Assert.Null((await Queue.GetAsync(op.Id))!.Conflict);
        Assert.Equal([op.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Merge_requeues_with_the_merged_payload()
    {
        var op = await ConflictAsync(expectedVersion: 1, serverVersion: 5);

        var resolved = await Queue.ResolveConflictAsync(op.Id, ConflictResolution.Merge, """{"merged":true}""");

        Assert.Equal("""{"merged":true}""", resolved!.PayloadJson);
        Assert.Equal(15, resolved.PayloadBytes);
        Assert.Equal(5, resolved.ExpectedVersion);
        var missing = await Assert.ThrowsAsync<QueueException>(() => Queue.ResolveConflictAsync(op.Id, ConflictResolution.Merge, null));
        Assert.Equal(QueueErrorKind.InvalidArgument, missing.Kind);
    }

    [Fact]
    public async Task Take_server_drops_the_operation_and_unblocks_the_entity()
    {
        var op = await ConflictAsync(expectedVersion: 1, serverVersion: 5);
        var next = await EnqueueAsync("doc");

        Assert.Null(await Queue.ResolveConflictAsync(op.Id, ConflictResolution.TakeServer, null));

        Assert.Null(await Queue.GetAsync(op.Id));
        Assert.Equal([next.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Resolving_an_operation_that_is_not_in_conflict_is_refused()
    {
        var op = await EnqueueAsync();

        var state = await Assert.ThrowsAsync<QueueException>(() => Queue.ResolveConflictAsync(op.Id, ConflictResolution.KeepLocal, null));
        var missing = await Assert.ThrowsAsync<QueueException>(() => Queue.ResolveConflictAsync("missing", ConflictResolution.KeepLocal, null));

        Assert.Equal(QueueErrorKind.InvalidState, state.Kind);
        Assert.Equal(QueueErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Prune_deletes_only_succeeded_operations_older_than_the_cutoff()
    {
        var old = await EnqueueAsync();
        await ClaimIdsAsync();
        await CompleteAsync(old.Id, OperationStatus.Succeeded);
        Clock.Advance(TimeSpan.FromHours(2));
        var recent = await EnqueueAsync();
        await ClaimIdsAsync();
        await CompleteAsync(recent.Id, OperationStatus.Succeeded);
        var pending = await EnqueueAsync();

        Assert.Equal(1, await Queue.PruneSucceededAsync(Clock.GetUtcNow().AddHours(-1)));

        Assert.Null(await Queue.GetAsync(old.Id));
        Assert.NotNull(await Queue.GetAsync(recent.Id));
        Assert.NotNull(await Queue.GetAsync(pending.Id));
    }

    [Fact]
    public async Task Lease_is_exclusive_between_two_stores_on_one_file_until_it_expires_or_is_released()
    {
        var otherStore = Open();
        var mine = Queue;
        var theirs = otherStore.Workspace(Queue.WorkspaceId);
        var now = Clock.GetUtcNow();
        var lease = TimeSpan.FromSeconds(10);

        Assert.True(await mine.TryAcquireLeaseAsync("sidecar-a", lease, now));
        Assert.False(await theirs.TryAcquireLeaseAsync("sidecar-b", lease, now.AddSeconds(5)));
        Assert.True(await mine.TryAcquireLeaseAsync("sidecar-a", lease, now.AddSeconds(5)));
        Assert.False(await theirs.TryAcquireLeaseAsync("sidecar-b", lease, now.AddSeconds(14)));
        Assert.True(await theirs.TryAcquireLeaseAsync("sidecar-b", lease, now.AddSeconds(15)));
        Assert.False(await mine.TryAcquireLeaseAsync("sidecar-a", lease, now.AddSeconds(16)));

        await mine.ReleaseLeaseAsync("sidecar-a");
        Assert.False(await mine.TryAcquireLeaseAsync("sidecar-a", lease, now.AddSeconds(16)));
        await theirs.ReleaseLeaseAsync("sidecar-b");
        Assert.True(await mine.TryAcquireLeaseAsync("sidecar-a", lease, now.AddSeconds(16)));
    }

    [Fact]
    public async Task Change_stamp_moves_on_commits_from_this_and_other_processes()
    {
        var otherStore = Open();
        var stamp0 = await Queue.GetChangeStampAsync();
        Assert.Equal(stamp0, await Queue.GetChangeStampAsync());

        await EnqueueAsync();
        var stamp1 = await Queue.GetChangeStampAsync();
        await EnqueueAsync(otherStore.Workspace(Queue.WorkspaceId));
        var stamp2 = await Queue.GetChangeStampAsync();

        Assert.NotEqual(stamp0, stamp1);
        Assert.NotEqual(stamp1, stamp2);
        Assert.Equal(2, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Claims_from_two_stores_on_one_file_never_hand_out_the_same_operation()
    {
        var otherStore = Open();
        var theirs = otherStore.Workspace(Queue.WorkspaceId);
        for (var i = 0; i < 200; i++)
        {
            await EnqueueAsync();
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? Queue : theirs).ClaimEligibleAsync(10, Clock.GetUtcNow())));

        var ids = claims.SelectMany(c => c).Select(o => o.Id).ToList();
        Assert.Equal(200, ids.Count);
        Assert.Equal(200, ids.Distinct().Count());
    }

    private async Task<EnqueueResult> ConflictAsync(long expectedVersion, long serverVersion)
    {
        var op = await EnqueueAsync(Queue, "doc", payload: """{"mine":1}""", expectedVersion: expectedVersion);
        await ClaimIdsAsync();
        await Queue.ApplyOutcomesAsync([Outcome(op.Id, OperationStatus.Conflict, Clock.GetUtcNow(), "conflict") with
        {
            ServerVersion = serverVersion,
            Conflict = new ConflictSnapshot(serverVersion, """{"theirs":1}""", Clock.GetUtcNow()),
        }]);
        return op;
    }
}
