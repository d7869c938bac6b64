using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class CoalescingTests : StoreTestBase
{
    [Fact]
    public async Task Same_dedup_key_while_pending_replaces_the_payload_in_place()
    {
        var first = await EnqueueAsync("doc", payload: """{"v":1}""", dedupKey: "doc:title");
        var between = await EnqueueAsync("other");
        Clock.Advance(TimeSpan.FromSeconds(5));

        var second = await EnqueueAsync("doc", payload: """{"v":2}""", dedupKey: "doc:title");

        Assert.True(second.Coalesced);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(OperationStatus.Pending, second.Status);
        var stored = await GetAsync(first.Id);
        Assert.Equal("""{"v":2}""", stored.PayloadJson);
        Assert.Equal(7, stored.PayloadBytes);
        Assert.Equal(Clock.GetUtcNow(), stored.UpdatedAt);
        Assert.Equal(2, (await Queue.GetCountsAsync()).Pending);
        Assert.Equal([first.Id, between.Id], await ClaimIdsAsync());
    }

    [Fact]
    public async Task Same_dedup_key_while_syncing_adds_a_new_operation_behind_it()
    {
        var first = await EnqueueAsync("doc", payload: """{"v":1}""", dedupKey: "k");
        await ClaimIdsAsync();

        var second = await EnqueueAsync("doc", payload: """{"v":2}""", dedupKey: "k");

        Assert.False(second.Coalesced);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("""{"v":1}""", (await GetAsync(first.Id)).PayloadJson);
        Assert.Empty(await ClaimIdsAsync());
    }

    [Fact]
    public async Task Only_the_latest_operation_with_the_key_absorbs_and_only_while_pending()
    {
        var first = await EnqueueAsync(payload: "1", dedupKey: "k");
        await ClaimIdsAsync();
        var second = await EnqueueAsync(payload: "2", dedupKey: "k");
        // first goes back to pending (retry) while second is the latest with the key.
        await Queue.ApplyOutcomesAsync([Outcome(first.Id, OperationStatus.Pending, Clock.GetUtcNow(), "retry")]);

        var third = await EnqueueAsync(payload: "3", dedupKey: "k");

        Assert.True(third.Coalesced);
        Assert.Equal(second.Id, third.Id);
        Assert.Equal("1", (await GetAsync(first.Id)).PayloadJson);
        Assert.Equal("3", (await GetAsync(second.Id)).PayloadJson);
    }

    [Fact]
    public async Task Dedup_keys_are_per_workspace()
    {
        var other = Store.Workspace("other");
        var mine = await EnqueueAsync(dedupKey: "k");

        var theirs = await EnqueueAsync(other, dedupKey: "k");

        Assert.False(theirs.Coalesced);
        Assert.NotEqual(mine.Id, theirs.Id);
    }

    [Fact]
    public async Task Coalescing_within_one_group_commit_keeps_a_single_operation()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => EnqueueAsync(payload: $"{i}", dedupKey: "k")));

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Equal(49, results.Count(r => r.Coalesced));
        Assert.Equal(1, (await Queue.GetCountsAsync()).Pending);
    }
}
