using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Tests.Cache;

/// <summary>Reads return the server's row with the user's own unfinished operations of that entity on top.</summary>
public sealed class OverlayTests : CacheTestBase
{
    [Fact]
    public async Task A_pulled_document_reads_as_the_server_sent_it_and_synced()
    {
        await PullAsync(Put("notes/a.md", 3, "server text"));

        var entry = await Cache.GetAsync("notes/a.md");

        Assert.NotNull(entry);
        Assert.Equal("server text", DocumentPayload.TryReadContent(entry.PayloadJson));
        Assert.Equal(3, entry.Version);
        Assert.Equal(CacheState.Synced, entry.State);
        Assert.Equal("server text".Length, entry.Size);
        Assert.False(entry.Evicted);
        Assert.Null(entry.OperationId);
    }

    [Fact]
    public async Task The_last_unfinished_put_wins_over_the_server_row_and_the_version_stays_the_servers()
    {
        await PullAsync(Put("notes/a.md", 3, "server text"));
        await SaveAsync("notes/a.md", "first edit", expectedVersion: 3);
        var second = await SaveAsync("notes/a.md", "second edit, longer", expectedVersion: 3);

        var entry = await Cache.GetAsync("notes/a.md");

        Assert.True(second.Coalesced);
        Assert.Equal("second edit, longer", DocumentPayload.TryReadContent(entry!.PayloadJson));
        Assert.Equal(3, entry.Version);
        Assert.Equal(CacheState.Pending, entry.State);
        Assert.Equal("second edit, longer".Length, entry.Size);
        Assert.Equal(second.Id, entry.OperationId);
        Assert.Equal(DocumentTypes.Put, entry.Type);
    }

    [Fact]
    public async Task An_unfinished_delete_hides_the_document_from_get_stat_and_list()
    {
        await PullAsync(Put("notes/a.md", 3, "x"), Put("notes/b.md", 1, "y"));
        await DeleteAsync("notes/a.md", expectedVersion: 3);

        Assert.Null(await Cache.GetAsync("notes/a.md"));
        Assert.Null(await Cache.StatAsync("notes/a.md"));
        var page = await Cache.ListAsync(new CacheListQuery("notes/", null, null, 100));
        Assert.Equal(["notes/b.md"], page.Items.Select(i => i.EntityId));
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task A_document_created_here_is_local_only_at_version_0_and_listed()
    {
        await PullAsync(Put("notes/b.md", 1, "y"));
        await SaveAsync("notes/a.md", "new", expectedVersion: 0);

        var entry = await Cache.GetAsync("notes/a.md");
        var page = await Cache.ListAsync(new CacheListQuery("notes/", null, null, 100));

        Assert.Equal(CacheState.LocalOnly, entry!.State);
        Assert.Equal(0, entry.Version);
        Assert.Equal(["notes/a.md", "notes/b.md"], page.Items.Select(i => i.EntityId));
        Assert.Equal(2, page.Total);
        Assert.Equal(CacheState.LocalOnly, page.Items[0].State);
    }

    [Fact]
    public async Task A_failed_or_conflicting_operation_decides_the_state_before_syncing_or_pending()
    {
        await PullAsync(Put("a", 1, "x"));
        var op = await SaveAsync("a", "mine", expectedVersion: 1);
        await ClaimIdsAsync();

        Assert.Equal(CacheState.Syncing, (await Cache.StatAsync("a"))!.State);
        await Queue.ApplyOutcomesAsync([Outcome(op.Id, OperationStatus.Conflict, Clock.GetUtcNow(), "conflict") with
        {
            Conflict = new ConflictSnapshot(2, Doc("theirs"), Clock.GetUtcNow()),
            ServerVersion = 2,
        }]);

        var entry = await Cache.GetAsync("a");
        Assert.Equal(CacheState.Conflict, entry!.State);
        Assert.Equal("mine", DocumentPayload.TryReadContent(entry.PayloadJson));
        var unsynced = await Cache.ListUnsyncedAsync(100);
        Assert.Equal([new UnsyncedDocument("a", CacheState.Conflict, op.Id)], unsynced.Documents);
    }

    [Fact]
    public async Task Unknown_ids_read_as_absent_and_bad_ids_are_refused_naming_the_field()
    {
        Assert.Null(await Cache.GetAsync("nothing/here.md"));
        foreach (var bad in new[] { "../etc/passwd", "a/../b", "a//b", "/abs", "trailing/", "nul\0char", "" })
        {
            var error = await Assert.ThrowsAsync<QueueException>(() => Cache.GetAsync(bad));
            Assert.Equal(QueueErrorKind.InvalidArgument, error.Kind);
            Assert.StartsWith("entityId:", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_document_operation_with_an_id_that_is_no_path_is_refused_at_enqueue_and_nothing_is_stored()
    {
        var error = await Assert.ThrowsAsync<QueueException>(() => SaveAsync("a/../b", "x", expectedVersion: 0));

        Assert.Equal(QueueErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(0, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task The_mtime_follows_what_is_shown_not_status_changes()
    {
        await PullAsync(Put("a", 1, "x"));
        var synced = (await Cache.StatAsync("a"))!.ModifiedAt;
        Clock.Advance(TimeSpan.FromSeconds(5));
        await SaveAsync("a", "mine", expectedVersion: 1);
        var edited = (await Cache.StatAsync("a"))!.ModifiedAt;
        Clock.Advance(TimeSpan.FromSeconds(5));
        await ClaimIdsAsync();
        var claimed = (await Cache.StatAsync("a"))!.ModifiedAt;

        Assert.True(edited > synced);
        Assert.Equal(edited, claimed);
    }

    [Fact]
    public async Task Save_delete_save_of_one_path_keeps_three_operations_in_order_and_reads_the_last_save()
    {
        await PullAsync(Put("a", 1, "server"));
        await SaveAsync("a", "one", expectedVersion: 1);
        var delete = await EnqueueAsync(Queue, "a", "null", dedupKey: "a", expectedVersion: 1, type: DocumentTypes.Delete);
        var again = await SaveAsync("a", "three", expectedVersion: 1);

        Assert.False(delete.Coalesced);
        Assert.False(again.Coalesced);
        Assert.Equal(3, (await Queue.GetCountsAsync()).Pending);
        Assert.Equal("three", DocumentPayload.TryReadContent((await Cache.GetAsync("a"))!.PayloadJson));
    }

    [Theory]
    [InlineData("""{"content":"plain"}""")]
    [InlineData("""{"content":"h\u00e9llo \ud83d\ude00","encoding":"utf-8"}""")]
    [InlineData("""{"content":"x","encoding":"UTF-8"}""")]
    [InlineData("""{"content":"x","encoding":null}""")]
    [InlineData("""{"content":"x","encoding":"base64"}""")]
    [InlineData("""{"content":42}""")]
    [InlineData("""{"title":"not a document","body":"ünïcode"}""")]
    [InlineData("""["an", "array"]""")]
    public async Task A_payload_has_the_same_size_whether_the_server_sent_it_or_a_pending_save_shows_it(string payload)
    {
        await Cache.ApplyPageAsync(null, 1, new ChangesPage([new ChangeRecord("pulled", DocumentTypes.Put, 1, payload, false)], "1", false, null));
        await EnqueueAsync(Queue, "saved", payload, dedupKey: "saved", expectedVersion: 0);

        var pulled = await Cache.StatAsync("pulled");
        var saved = await Cache.StatAsync("saved");

        Assert.Equal(pulled!.Size, saved!.Size);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(DocumentPayload.TryReadContent(payload) ?? payload), pulled.Size);
    }
}
