using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class GroupCommitTests : StoreTestBase
{
    [Fact]
    public async Task Every_acknowledged_enqueue_of_eight_concurrent_callers_is_there_after_reopen()
    {
        const int callers = 8;
        const int perCaller = 250;
        var acknowledged = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < perCaller; i++)
            {
                var result = await EnqueueAsync(Queue, entityId: $"c{caller}-{i % 7}", payload: $$"""{"caller":{{caller}},"i":{{i}}}""");
                ids.Add(result.Id);
            }

            return ids;
        })));

        var commits = Store.Writer.CommitCount;
        var reopened = await ReopenAsync();

        var stored = await ListAllAsync(new ListQuery(Limit: 500));
        Assert.Equal(callers * perCaller, stored.Count);
        Assert.Equal(acknowledged.SelectMany(ids => ids).Order(StringComparer.Ordinal), stored.Select(o => o.Id).Order(StringComparer.Ordinal));
        Assert.Equal(callers * perCaller, (await reopened.GetCountsAsync()).Pending);
        // Group commit: concurrent callers share transactions.
        Assert.True(commits < callers * perCaller, $"{commits} commits for {callers * perCaller} enqueues");
        // Each caller's own operations keep their order (ids are time-ordered, sequences are enqueue order).
        foreach (var ids in acknowledged)
        {
            var sequences = ids.Select(id => stored.Single(o => o.Id == id).Sequence).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
    }

    [Fact]
    public async Task Entity_heads_stay_right_when_one_entity_is_enqueued_concurrently()
    {
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => EnqueueAsync(Queue, entityId: "shared"))));

        var order = (await ListAllAsync()).Select(o => o.Id).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            Assert.Equal([order[i]], await ClaimIdsAsync());
            await CompleteAsync(order[i], Core.Operations.OperationStatus.Succeeded);
        }

        Assert.Empty(await ClaimIdsAsync());
    }

    [Fact]
    public async Task A_caller_resumed_after_commit_may_block_on_its_next_write()
    {
        var (first, second) = await Task.Run(() => EnqueueThenBlockOnTheNextAsync(Queue)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(first, second);
        Assert.Equal(2, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task A_refused_job_in_a_group_does_not_undo_its_neighbours()
    {
        var tasks = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            tasks.Add(EnqueueAsync());
            tasks.Add(Queue.UpdatePayloadAsync("missing", "{}"));
        }

        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(20, tasks.Count(t => t.IsCompletedSuccessfully));
        Assert.All(tasks.Where(t => t.IsFaulted), t => Assert.Equal(QueueErrorKind.NotFound, ((QueueException)t.Exception!.InnerException!).Kind));
        Assert.Equal(20, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Dispose_flushes_queued_writes()
    {
        var pending = Enumerable.Range(0, 100).Select(_ => EnqueueAsync()).ToList();

        await Store.DisposeAsync();

        Assert.All(pending, t => Assert.True(t.IsCompletedSuccessfully));
        var reopened = await ReopenAsync();
        Assert.Equal(100, (await reopened.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Normal_synchronous_mode_stores_the_same()
    {
        var store = Open(new StoreOptions { DatabasePath = Directory.File("normal.db"), Synchronous = SynchronousMode.Normal });
        var queue = store.Workspace("ws");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => EnqueueAsync(queue)));

        Assert.Equal(50, (await queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Cancelled_enqueue_is_not_written()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Queue.EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "1" }, cancelled.Token));

        Assert.Equal(QueueCounts.Empty, await Queue.GetCountsAsync());
    }

    /// <summary>
    /// Outcomes are published off the writer thread, so a continuation that waits synchronously for another write
    /// (a sync-over-async caller) cannot stall the writer.
    /// </summary>
    private static async Task<(string First, string Second)> EnqueueThenBlockOnTheNextAsync(IOperationQueue queue)
    {
        // ConfigureAwait(false): resume right where the writer's outcome was published.
        var first = await EnqueueAsync(queue).ConfigureAwait(false);
        var second = EnqueueAsync(queue).GetAwaiter().GetResult();
        return (first.Id, second.Id);
    }
}
