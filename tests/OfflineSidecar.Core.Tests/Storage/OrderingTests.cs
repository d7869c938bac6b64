using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class OrderingTests : StoreTestBase
{
    [Fact]
    public async Task Later_operation_of_an_entity_waits_for_the_earlier_one()
    {
        var first = await EnqueueAsync("doc-1");
        var second = await EnqueueAsync("doc-1");

        Assert.Equal([first.Id], await ClaimIdsAsync());
        Assert.Empty(await ClaimIdsAsync());

        await CompleteAsync(first.Id, OperationStatus.Succeeded);

        Assert.Equal([second.Id], await ClaimIdsAsync());
    }

    [Theory]
    [InlineData(OperationStatus.Failed)]
    [InlineData(OperationStatus.Conflict)]
    public async Task Failed_or_conflicting_head_keeps_blocking_its_entity(OperationStatus outcome)
    {
        var first = await EnqueueAsync("doc-1");
        await EnqueueAsync("doc-1");
        var other = await EnqueueAsync("doc-2");

        Assert.Equal([first.Id, other.Id], await ClaimIdsAsync());
        await CompleteAsync(first.Id, outcome, outcome == OperationStatus.Failed ? "rejected" : "conflict");

        Assert.Empty(await ClaimIdsAsync());
        Assert.False(await Queue.HasEligibleAsync(Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Discarding_a_failed_head_unblocks_the_next_operation()
    {
        var first = await EnqueueAsync("doc-1");
        var second = await EnqueueAsync("doc-1");
        await ClaimIdsAsync();
        await CompleteAsync(first.Id, OperationStatus.Failed, "rejected");

        Assert.Equal(1, await Queue.DiscardAsync([first.Id]));

        Assert.Equal([second.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Discarding_a_waiting_operation_leaves_the_head_alone()
    {
        var first = await EnqueueAsync("doc-1");
        var second = await EnqueueAsync("doc-1");
        var third = await EnqueueAsync("doc-1");

        await Queue.DiscardAsync([second.Id]);

        Assert.Equal([first.Id], await ClaimIdsAsync());
        await CompleteAsync(first.Id, OperationStatus.Succeeded);
        Assert.Equal([third.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Different_entities_and_entityless_operations_do_not_block_each_other()
    {
        var a1 = await EnqueueAsync("a");
        await EnqueueAsync("a");
        var b1 = await EnqueueAsync("b");
        var free1 = await EnqueueAsync();
        var free2 = await EnqueueAsync();

        Assert.Equal([a1.Id, b1.Id, free1.Id, free2.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Delivery_order_is_priority_then_enqueue_order()
    {
        var low = await EnqueueAsync(priority: OperationPriority.Low);
        var normal1 = await EnqueueAsync();
        var high = await EnqueueAsync(priority: OperationPriority.High);
        var normal2 = await EnqueueAsync();

        Assert.Equal([high.Id, normal1.Id, normal2.Id, low.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Claim_takes_at_most_max_in_delivery_order()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await EnqueueAsync()).Id);
        }

        Assert.Equal(ids[..2], await ClaimIdsAsync(2));
        Assert.Equal(ids[2..], await ClaimIdsAsync(10));
    }

    [Fact]
    public async Task Priority_never_reorders_one_entity()
    {
        var first = await EnqueueAsync("doc", priority: OperationPriority.Low);
        var second = await EnqueueAsync("doc", priority: OperationPriority.High);
        var third = await EnqueueAsync("doc");
        await Queue.PrioritizeAsync(third.Id);

        Assert.Equal([first.Id], await ClaimIdsAsync());
        await CompleteAsync(first.Id, OperationStatus.Succeeded);
        Assert.Equal([second.Id], await ClaimIdsAsync());
        await CompleteAsync(second.Id, OperationStatus.Succeeded);
        Assert.Equal([third.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task A_new_operation_after_the_entity_finished_is_eligible_at_once()
    {
        var first = await EnqueueAsync("doc");
        await ClaimIdsAsync();
        await CompleteAsync(first.Id, OperationStatus.Succeeded);

        var second = await EnqueueAsync("doc");

        Assert.Equal([second.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Operation_in_backoff_is_not_due_until_its_time()
    {
        var op = await EnqueueAsync("doc");
        await ClaimIdsAsync();
        var retryAt = Clock.GetUtcNow().AddSeconds(30);
        await Queue.ApplyOutcomesAsync([Outcome(op.Id, OperationStatus.Pending, Clock.GetUtcNow(), "retry") with { NextAttemptAt = retryAt }]);

        Assert.Empty(await ClaimIdsAsync());
        Assert.False(await Queue.HasEligibleAsync(Clock.GetUtcNow()));
        Assert.Equal(retryAt, await Queue.GetNextDueAtAsync());

        Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await Queue.HasEligibleAsync(Clock.GetUtcNow()));
        Assert.Equal([op.Id], await ClaimIdsAsync());
        Assert.Null(await Queue.GetNextDueAtAsync());
    }

    [Fact]
    public async Task Clearing_failed_operations_unblocks_their_entities()
    {
        var a1 = await EnqueueAsync("a");
        var a2 = await EnqueueAsync("a");
        var b1 = await EnqueueAsync("b");
        var b2 = await EnqueueAsync("b");
        await ClaimIdsAsync();
        await CompleteAsync(a1.Id, OperationStatus.Failed, "rejected");
        await CompleteAsync(b1.Id, OperationStatus.Conflict, "conflict");

        Assert.Equal(2, await Queue.ClearAsync([OperationStatus.Failed, OperationStatus.Conflict]));

        Assert.Equal([a2.Id, b2.Id], await ClaimIdsAsync());
    }
}
