using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class PagingTests : StoreTestBase
{
    [Fact]
    public async Task Pages_walk_every_row_once_in_delivery_order_without_payloads()
    {
        var expected = new List<(OperationPriority Priority, string Id)>();
        var priorities = new[] { OperationPriority.Low, OperationPriority.Normal, OperationPriority.High };
        for (var i = 0; i < 25; i++)
        {
            var priority = priorities[i % 3];
            expected.Add((priority, (await EnqueueAsync(payload: $$"""{"n":{{i}}}""", priority: priority)).Id));
        }

        var listed = await ListAllAsync(new ListQuery(Limit: 4));

        Assert.Equal(expected.OrderBy(e => e.Priority).Select(e => e.Id), listed.Select(o => o.Id));
        Assert.All(listed, o => Assert.Null(o.PayloadJson));
        Assert.All(listed, o => Assert.True(o.PayloadBytes > 0));
    }

    [Fact]
    public async Task Cursor_stays_valid_while_rows_are_added_and_statuses_change()
    {
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await EnqueueAsync()).Id);
        }

        var first = await Queue.ListAsync(new ListQuery(Limit: 3));
        Assert.Equal(ids[..3], first.Items.Select(o => o.Id));
        var added = await EnqueueAsync();
        var addedHigh = await EnqueueAsync(priority: OperationPriority.High);
        await Queue.ClaimEligibleAsync(1, Clock.GetUtcNow());

        var rest = await ListAllAsync(new ListQuery(Cursor: first.NextCursor, Limit: 3));

        // The new high-priority row sorts before the cursor, so it is not repeated; nothing is skipped or doubled.
        Assert.Equal([.. ids[3..], added.Id], rest.Select(o => o.Id));
        Assert.DoesNotContain(addedHigh.Id, rest.Select(o => o.Id));
    }

    [Fact]
    public async Task Status_filter_merges_statuses_in_delivery_order_and_total_counts_all_matches()
    {
        var ops = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ops.Add((await EnqueueAsync(priority: i % 2 == 0 ? OperationPriority.Low : OperationPriority.Normal)).Id);
        }

        var claimed = await ClaimIdsAsync(3);
        await CompleteAsync(claimed[0], OperationStatus.Failed, "rejected");
        await CompleteAsync(claimed[1], OperationStatus.Succeeded);

        var page = await Queue.ListAsync(new ListQuery([OperationStatus.Pending, OperationStatus.Failed], Limit: 2));
        var all = await ListAllAsync(new ListQuery([OperationStatus.Pending, OperationStatus.Failed], Limit: 2));

        Assert.Equal(4, page.Total);
        Assert.Equal(2, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        Assert.Equal(4, all.Count);
        Assert.All(all, o => Assert.Contains(o.Status, new[] { OperationStatus.Pending, OperationStatus.Failed }));
        Assert.Equal(all.OrderBy(o => o.Priority).ThenBy(o => o.Sequence).Select(o => o.Id), all.Select(o => o.Id));
        Assert.Equal(1, (await Queue.ListAsync(new ListQuery([OperationStatus.Syncing]))).Total);
        Assert.Equal(6, (await Queue.ListAsync(new ListQuery())).Total);
    }

    [Fact]
    public async Task Entity_filter_lists_only_that_entity_with_an_exact_total()
    {
        var mine = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add((await EnqueueAsync("doc-1")).Id);
            await EnqueueAsync("doc-2");
        }

        var page = await Queue.ListAsync(new ListQuery(EntityId: "doc-1", Limit: 2));
        var all = await ListAllAsync(new ListQuery(EntityId: "doc-1", Limit: 2));
        var pendingOnly = await Queue.ListAsync(new ListQuery([OperationStatus.Syncing], EntityId: "doc-1"));

        Assert.Equal(5, page.Total);
        Assert.Equal(mine, all.Select(o => o.Id));
        Assert.Equal(0, pendingOnly.Total);
        Assert.Empty(pendingOnly.Items);
        Assert.Null(pendingOnly.NextCursor);
    }

    [Fact]
    public async Task Last_page_has_no_cursor()
    {
        await EnqueueAsync();
        await EnqueueAsync();

        var page = await Queue.ListAsync(new ListQuery(Limit: 2));

        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData("not-a-cursor!")]
    [InlineData("djE6eDp5")]
    public async Task Garbage_cursor_is_refused(string cursor)
    {
        var refusal = await Assert.ThrowsAsync<QueueException>(() => Queue.ListAsync(new ListQuery(Cursor: cursor)));

        Assert.Equal(QueueErrorKind.InvalidArgument, refusal.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public async Task Limit_outside_1_to_500_is_refused(int limit)
    {
        var refusal = await Assert.ThrowsAsync<QueueException>(() => Queue.ListAsync(new ListQuery(Limit: limit)));

        Assert.Equal(QueueErrorKind.InvalidArgument, refusal.Kind);
    }
}
