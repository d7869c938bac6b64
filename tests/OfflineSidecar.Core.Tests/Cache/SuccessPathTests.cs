using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Core.Tests.Cache;

/// <summary>An answer to our own operation updates the cache in the transaction that records it.</summary>
public sealed class SuccessPathTests : CacheTestBase
{
    [Fact]
    public async Task An_applied_put_becomes_the_cached_row_at_the_answers_version_with_the_mtime_the_editor_saw()
    {
        await PullAsync(Put("a", 3, "server"));
        Clock.Advance(TimeSpan.FromSeconds(10));
        var op = await SaveAsync("a", "mine", expectedVersion: 3);
        var shown = (await Cache.StatAsync("a"))!;
        Clock.Advance(TimeSpan.FromSeconds(10));

        await ApplyAsync(op.Id, version: 4);

        var entry = await Cache.GetAsync("a");
        Assert.Equal(CacheState.Synced, entry!.State);
        Assert.Equal(4, entry.Version);
        Assert.Equal("mine", DocumentPayload.TryReadContent(entry.PayloadJson));
        Assert.Equal(shown.ModifiedAt, entry.ModifiedAt);
        AssertTotalsMatchRows();
    }

    [Fact]
    public async Task A_read_between_the_answer_and_its_record_is_impossible_the_outcome_and_the_cache_row_commit_together()
    {
        await PullAsync(Put("a", 3, "server"));
        var op = await SaveAsync("a", "mine", expectedVersion: 3);
        var versions = new List<(long Version, CacheState State, string? Text)>();
        Cache.Changed += (_, _) => versions.Add(Snapshot());

        await ApplyAsync(op.Id, version: 4);

        // Raised after the commit: the one state a reader can see is the new version with the operation finished.
        Assert.Equal([(4L, CacheState.Synced, "mine")], versions);

        (long, CacheState, string?) Snapshot()
        {
            var entry = Cache.GetAsync("a").GetAwaiter().GetResult()!;
            return (entry.Version, entry.State, DocumentPayload.TryReadContent(entry.PayloadJson));
        }
    }

    [Fact]
    public async Task A_duplicate_answer_older_than_the_cached_version_leaves_the_cache_alone()
    {
        await PullAsync(Put("a", 3, "server"));
        var op = await SaveAsync("a", "mine", expectedVersion: 3);
        await PullAsync(Put("a", 4, "mine"), Put("a", 5, "someone else"));

        await ApplyAsync(op.Id, version: 4, AttemptOutcomes.Duplicate);

        var entry = await Cache.GetAsync("a");
        Assert.Equal(5, entry!.Version);
        Assert.Equal("someone else", DocumentPayload.TryReadContent(entry.PayloadJson));
    }

    [Fact]
    public async Task An_applied_delete_leaves_nothing_to_read_and_no_tombstone_once_no_work_remains()
    {
        await PullAsync(Put("a", 3, "server"));
        var op = await DeleteAsync("a", expectedVersion: 3);

        await ApplyAsync(op.Id, version: 4);

        Assert.Null(await Cache.GetAsync("a"));
        Assert.Equal(0, (await Cache.GetTotalsAsync()).Entities);
        AssertTotalsMatchRows();
    }

    [Fact]
    public async Task An_edit_saved_while_the_previous_one_was_in_flight_is_rebased_on_the_version_that_one_got()
    {
        await PullAsync(Put("a", 3, "server"));
        var first = await SaveAsync("a", "edit 1", expectedVersion: 3);
        var claimed = await ClaimIdsAsync();
        // The editor read the overlay (edit 1, version 3) and saves again while edit 1 is on the wire.
        var second = await SaveAsync("a", "edit 1 and 2", expectedVersion: 3);
        Assert.False(second.Coalesced);

        await Queue.ApplyOutcomesAsync([Outcome(first.Id, OperationStatus.Succeeded, Clock.GetUtcNow()) with { ServerVersion = 4 }]);

        Assert.Equal([first.Id], claimed);
        Assert.Equal(4, (await GetAsync(second.Id)).ExpectedVersion);
        var entry = await Cache.GetAsync("a");
        Assert.Equal("edit 1 and 2", DocumentPayload.TryReadContent(entry!.PayloadJson));
        Assert.Equal(4, entry.Version);
    }

    [Fact]
    public async Task A_new_document_applied_at_version_1_is_cached_and_synced()
    {
        var op = await SaveAsync("notes/new.md", "hello", expectedVersion: 0);

        await ApplyAsync(op.Id, version: 1);

        var entry = await Cache.GetAsync("notes/new.md");
        Assert.Equal((1L, CacheState.Synced), (entry!.Version, entry.State));
        Assert.Equal(1, (await Cache.GetTotalsAsync()).Entities);
    }

    [Fact]
    public async Task Taking_the_servers_side_of_a_conflict_shows_the_servers_content_at_once()
    {
        await PullAsync(Put("a", 1, "base"));
        var op = await SaveAsync("a", "mine", expectedVersion: 1);
        await ClaimIdsAsync();
        await Queue.ApplyOutcomesAsync([Outcome(op.Id, OperationStatus.Conflict, Clock.GetUtcNow(), "conflict") with
        {
            ServerVersion = 2,
            Conflict = new ConflictSnapshot(2, Doc("theirs"), Clock.GetUtcNow()),
        }]);

        await Queue.ResolveConflictAsync(op.Id, ConflictResolution.TakeServer, null);

        var entry = await Cache.GetAsync("a");
        Assert.Equal((2L, CacheState.Synced, "theirs"), (entry!.Version, entry.State, DocumentPayload.TryReadContent(entry.PayloadJson)));
    }
}
