using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Cache;

/// <summary>Each page's rows and the cursor after it commit together; versions never go back; deletes and refetches.</summary>
public sealed class PullWritesTests : CacheTestBase
{
    [Fact]
    public async Task A_page_commits_with_its_cursor_and_last_pulled_at_is_set_only_when_the_feed_ended()
    {
        var first = await PullPageAsync(hasMore: true, Put("a", 1, "x"), Put("b", 1, "y"));
        var afterFirst = await Cache.GetPullStateAsync();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await PullPageAsync(hasMore: false, Put("c", 1, "z"));
        var afterSecond = await Cache.GetPullStateAsync();

        Assert.Equal(first, afterFirst.Cursor);
        Assert.Null(afterFirst.LastPulledAt);
        Assert.Equal(second, afterSecond.Cursor);
        Assert.Equal(Clock.GetUtcNow(), afterSecond.LastPulledAt);
        Assert.Equal(3, (await Cache.GetTotalsAsync()).Entities);
        AssertTotalsMatchRows();
    }

    [Fact]
    public async Task The_pull_state_survives_a_restart()
    {
        var cursor = await PullAsync(Put("a", 1, "x"));
        await ReopenAsync();

        var state = await Store.Cache("ws").GetPullStateAsync();

        Assert.Equal(cursor, state.Cursor);
        Assert.NotNull(state.LastPulledAt);
        Assert.Equal("x", DocumentPayload.TryReadContent((await Store.Cache("ws").GetAsync("a"))!.PayloadJson));
    }

    [Fact]
    public async Task A_page_written_from_a_cursor_that_moved_meanwhile_is_refused_and_writes_nothing()
    {
        await PullAsync(Put("a", 1, "x"));
        var state = await Cache.GetPullStateAsync();
        await PullAsync(Put("b", 1, "y"));

        var error = await Assert.ThrowsAsync<QueueException>(() =>
            Cache.ApplyPageAsync(state.Cursor, state.Generation, new ChangesPage([Put("c", 1, "z")], "999", false, null)));

        Assert.Equal(CachePuller.SupersededMessage, error.Message);
        Assert.Null(await Cache.GetAsync("c"));
        Assert.NotEqual("999", (await Cache.GetPullStateAsync()).Cursor);
    }

    [Fact]
    public async Task An_older_version_never_replaces_a_newer_one_and_a_page_keeps_each_entitys_latest()
    {
        await PullAsync(Put("a", 1, "v1"), Put("a", 3, "v3"), Put("a", 2, "v2"));
        await PullAsync(Put("a", 2, "late v2"));

        var entry = await Cache.GetAsync("a");
        Assert.Equal(3, entry!.Version);
        Assert.Equal("v3", DocumentPayload.TryReadContent(entry.PayloadJson));
    }

    [Fact]
    public async Task A_delete_is_purged_once_pulled_past_but_kept_as_a_tombstone_while_the_entity_has_unfinished_work()
    {
        await PullAsync(Put("a", 1, "x"), Put("b", 1, "y"));
        await SaveAsync("b", "mine", expectedVersion: 1);
        await PullAsync(Deleted("a", 2), Deleted("b", 2));

        Assert.Equal(0L, SqliteFile.Scalar(DatabasePath, "SELECT COUNT(*) FROM cache_entities WHERE entity_id = 'a';"));
        Assert.Equal(1L, SqliteFile.Scalar(DatabasePath, "SELECT deleted FROM cache_entities WHERE entity_id = 'b';"));
        // b shows the user's pending put on top of the server's delete: version 2, so resending it revives b.
        var b = await Cache.GetAsync("b");
        Assert.Equal(2, b!.Version);
        Assert.Equal(CacheState.LocalOnly, b.State);
        Assert.Null(await Cache.GetAsync("a"));
        AssertTotalsMatchRows();
    }

    [Fact]
    public async Task Changes_with_ids_no_document_can_have_are_skipped_and_the_cursor_still_moves()
    {
        var cursor = await PullAsync(Put("a//b", 1, "x"), Put("ok", 1, "y"));

        Assert.Equal(cursor, (await Cache.GetPullStateAsync()).Cursor);
        Assert.Equal(1L, SqliteFile.Scalar(DatabasePath, "SELECT COUNT(*) FROM cache_entities;"));
    }

    [Fact]
    public async Task A_refetch_starts_from_the_beginning_and_at_its_end_drops_what_the_server_no_longer_has_keeping_the_queue()
    {
        await PullAsync(Put("gone", 1, "x"), Put("kept", 1, "y"));
        var op = await SaveAsync("mine", "local", expectedVersion: 0);
        var state = await Cache.StartRefetchAsync(server: null);

        Assert.Null(state.Cursor);
        Assert.True(state.Refetching);
        await PullPageAsync(hasMore: true, Put("kept", 1, "y"));
        Assert.NotNull(await Cache.GetAsync("gone"));
        await PullPageAsync(hasMore: false, Put("new", 1, "z"));

        Assert.Null(await Cache.GetAsync("gone"));
        Assert.NotNull(await Cache.GetAsync("kept"));
        Assert.NotNull(await Cache.GetAsync("new"));
        Assert.False((await Cache.GetPullStateAsync()).Refetching);
        Assert.Equal(op.Id, (await Queue.GetAsync(op.Id))!.Operation.Id);
        Assert.NotNull(await Cache.GetAsync("mine"));
        AssertTotalsMatchRows();
    }

    [Fact]
    public async Task The_server_content_an_unfinished_edit_was_written_on_is_kept_when_a_newer_version_arrives()
    {
        await PullAsync(Put("a", 1, "base"), Put("b", 1, "other base"));
        await SaveAsync("a", "mine", expectedVersion: 1);
        await PullAsync(Put("a", 2, "theirs"), Put("b", 2, "nobody edited b here"));

        Assert.Equal("base", DocumentPayload.TryReadContent(await Cache.GetBaseAsync("a", 1)));
        Assert.Null(await Cache.GetBaseAsync("b", 1));
        Assert.Equal("theirs", DocumentPayload.TryReadContent(await Cache.GetBaseAsync("a", 2)));
    }

    [Fact]
    public async Task An_empty_page_only_moves_the_cursor_and_ends_the_pull()
    {
        await PullAsync(Put("a", 1, "x"));
        Clock.Advance(TimeSpan.FromMinutes(1));

        var cursor = await PullAsync();

        var state = await Cache.GetPullStateAsync();
        Assert.Equal(cursor, state.Cursor);
        Assert.Equal(Clock.GetUtcNow(), state.LastPulledAt);
        Assert.Equal(1, (await Cache.GetTotalsAsync()).Entities);
    }
}
