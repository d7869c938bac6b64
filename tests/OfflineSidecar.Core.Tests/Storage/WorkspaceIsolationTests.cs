using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class WorkspaceIsolationTests : StoreTestBase
{
    [Fact]
    public async Task Workspaces_sharing_a_file_never_see_each_others_operations()
    {
        var other = Store.Workspace("other");
        var mine = await EnqueueAsync("doc");
        var theirs = await EnqueueAsync(other, "doc");

        Assert.Equal(1, (await Queue.GetCountsAsync()).Pending);
        Assert.Equal([mine.Id], (await ListAllAsync()).Select(o => o.Id));
        Assert.Null(await Queue.GetAsync(theirs.Id));
        Assert.Equal(0, await Queue.DiscardAsync([theirs.Id]));
        Assert.Equal(QueueErrorKind.NotFound, (await Assert.ThrowsAsync<QueueException>(() => Queue.UpdatePayloadAsync(theirs.Id, "1"))).Kind);
        Assert.Equal(QueueErrorKind.NotFound, (await Assert.ThrowsAsync<QueueException>(() => Queue.PrioritizeAsync(theirs.Id))).Kind);
        Assert.Equal(0, await Queue.RetryAsync([theirs.Id], allFailed: false));
    }

    [Fact]
    public async Task Same_entity_in_two_workspaces_does_not_block_across()
    {
        var other = Store.Workspace("other");
        var mine = await EnqueueAsync("doc");
        var theirs = await EnqueueAsync(other, "doc");

        Assert.Equal([mine.Id], await ClaimIdsAsync());
        Assert.Equal([theirs.Id], (await other.ClaimEligibleAsync(10, Clock.GetUtcNow())).Select(o => o.Id));
    }

    [Fact]
    public async Task Clear_recover_and_prune_stay_in_their_workspace()
    {
        var other = Store.Workspace("other");
        await EnqueueAsync();
        await EnqueueAsync(other);
        await other.ClaimEligibleAsync(10, Clock.GetUtcNow());

        Assert.Equal(0, await Queue.RecoverInterruptedAsync());
        Assert.Equal(1, await Queue.ClearAsync(null));

        Assert.Equal(new QueueCounts(0, 1, 0, 0, 0), await other.GetCountsAsync());
        Assert.Same(other, Store.Workspace("other"));
        Assert.Empty(await ListAllAsync());
    }

    [Fact]
    public void Workspace_id_must_be_present_and_short()
    {
        Assert.Equal(QueueErrorKind.InvalidArgument, Assert.Throws<QueueException>(() => Store.Workspace("")).Kind);
        Assert.Equal(QueueErrorKind.InvalidArgument, Assert.Throws<QueueException>(() => Store.Workspace(new string('w', 513))).Kind);
    }
}
