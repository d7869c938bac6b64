using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Tests.Cache;

/// <summary>Listings page in id order (UTF-8 byte order, as SQLite sorts), stable across pages, folders rolled up.</summary>
public sealed class ListingTests : CacheTestBase
{
    [Fact]
    public async Task Pages_walk_every_document_once_in_order_with_local_work_merged_in()
    {
        await PullAsync([.. Enumerable.Range(0, 50).Select(i => Put($"n/{i:D2}", 1, "x"))]);
        await SaveAsync("n/25a", "created here", expectedVersion: 0);
        await DeleteAsync("n/10", expectedVersion: 1);
        await SaveAsync("n/30", "edited", expectedVersion: 1);

        var seen = new List<string>();
        string? cursor = null;
        long total = 0;
        do
        {
            var page = await Cache.ListAsync(new CacheListQuery("n/", null, cursor, 7));
            Assert.True(page.Items.Count <= 7);
            seen.AddRange(page.Items.Select(i => i.EntityId));
            total = page.Total;
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var expected = Enumerable.Range(0, 50).Select(i => $"n/{i:D2}").Where(id => id != "n/10").Append("n/25a").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, seen);
        Assert.Equal(expected.Count, total);
    }

    [Fact]
    public async Task With_a_delimiter_sub_folders_are_reported_once_and_skipped_over()
    {
        await PullAsync(
            Put("notes/a.md", 1, "x"),
            Put("notes/deep/1.md", 1, "x"),
            Put("notes/deep/2.md", 1, "x"),
            Put("notes/deep/er/3.md", 1, "x"),
            Put("notes/z.md", 1, "x"),
            Put("other/b.md", 1, "x"));
        await SaveAsync("notes/new/c.md", "x", expectedVersion: 0);

        var root = await Cache.ListAsync(new CacheListQuery(null, "/", null, 100));
        var notes = await Cache.ListAsync(new CacheListQuery("notes/", "/", null, 100));

        Assert.Empty(root.Items);
        Assert.Equal(["notes/", "other/"], root.Folders);
        Assert.Equal(["notes/a.md", "notes/z.md"], notes.Items.Select(i => i.EntityId));
        Assert.Equal(["notes/deep/", "notes/new/"], notes.Folders);
        Assert.Equal(6, notes.Total);
    }

    [Fact]
    public async Task A_folder_whose_documents_are_all_deleted_here_is_not_listed_nor_a_folder()
    {
        await PullAsync(Put("gone/a.md", 1, "x"), Put("kept/b.md", 1, "x"));
        await DeleteAsync("gone/a.md", expectedVersion: 1);

        var root = await Cache.ListAsync(new CacheListQuery(null, "/", null, 100));

        Assert.Equal(["kept/"], root.Folders);
        Assert.False(await Cache.IsFolderAsync("gone"));
        Assert.True(await Cache.IsFolderAsync("kept"));
        Assert.True(await Cache.IsFolderAsync(""));
    }

    [Fact]
    public async Task Order_is_that_of_utf8_bytes_even_where_utf16_disagrees()
    {
        // U+FF5E (a full-width tilde) sorts before U+1F600 (an emoji, a surrogate pair in UTF-16) in UTF-8, after it in UTF-16.
        await PullAsync(Put("e/\U0001F600", 1, "x"), Put("e/\uFF5E", 1, "x"));
        await SaveAsync("e/\uFF5F", "x", expectedVersion: 0);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Cache.ListAsync(new CacheListQuery("e/", null, cursor, 1));
            seen.AddRange(page.Items.Select(i => i.EntityId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(["e/\uFF5E", "e/\uFF5F", "e/\U0001F600"], seen);
    }

    [Fact]
    public async Task A_cursor_of_another_listing_or_garbage_is_refused_naming_the_field()
    {
        await PullAsync(Put("a/1", 1, "x"), Put("a/2", 1, "x"), Put("b/1", 1, "x"));
        var page = await Cache.ListAsync(new CacheListQuery("a/", null, null, 1));

        var foreign = await Assert.ThrowsAsync<QueueException>(() => Cache.ListAsync(new CacheListQuery("b/", null, page.NextCursor, 1)));
        var garbage = await Assert.ThrowsAsync<QueueException>(() => Cache.ListAsync(new CacheListQuery("a/", null, "not-a-cursor", 1)));
        var limit = await Assert.ThrowsAsync<QueueException>(() => Cache.ListAsync(new CacheListQuery("a/", null, null, 1001)));

        Assert.StartsWith("cursor:", foreign.Message, StringComparison.Ordinal);
        Assert.StartsWith("cursor:", garbage.Message, StringComparison.Ordinal);
        Assert.StartsWith("limit:", limit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entity_with_more_unfinished_operations_than_a_chunk_is_listed_once()
    {
        await PullAsync(Put("m/a", 1, "x"), Put("m/z", 1, "x"));
        for (var i = 0; i < 300; i++)
        {
            await EnqueueAsync(Queue, "m/busy", Doc($"v{i}"), dedupKey: null);
        }

        var page = await Cache.ListAsync(new CacheListQuery("m/", null, null, 10));

        Assert.Equal(["m/a", "m/busy", "m/z"], page.Items.Select(i => i.EntityId));
        Assert.Equal("v299".Length, page.Items[1].Size);
    }
}
