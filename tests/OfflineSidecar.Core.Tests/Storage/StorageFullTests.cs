using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class StorageFullTests : StoreTestBase
{
    [Fact]
    public async Task Full_storage_refuses_the_write_with_storage_full_and_keeps_what_was_stored()
    {
        var kept = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            kept.Add((await EnqueueAsync(payload: $$"""{"n":{{i}}}""")).Id);
        }

        var pages = await CurrentPageCountAsync();
        await Store.SetMaxPageCountAsync(pages);
        var big = "\"" + new string('x', 200_000) + "\"";

        var refusal = await Assert.ThrowsAsync<QueueException>(() => EnqueueAsync(payload: big));
        var group = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Capture(EnqueueAsync(payload: big))));

        Assert.Equal(QueueErrorKind.StorageFull, refusal.Kind);
        Assert.Contains("storage full", refusal.Message, StringComparison.Ordinal);
        Assert.All(group, e => Assert.Equal(QueueErrorKind.StorageFull, e?.Kind));
        Assert.Equal(20, (await Queue.GetCountsAsync()).Pending);
        var listed = await ListAllAsync();
        Assert.Equal(kept, listed.Select(o => o.Id));

        // Room again: the same store keeps working.
        await Store.SetMaxPageCountAsync(1_000_000);
        await EnqueueAsync(payload: big);
        Assert.Equal(21, (await Queue.GetCountsAsync()).Pending);
    }

    private static async Task<QueueException?> Capture(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (QueueException error)
        {
            return error;
        }
    }

    private Task<long> CurrentPageCountAsync() =>
        Store.Writer.RunAsync(session => session.Sql("PRAGMA page_count;").ExecuteScalar() is long count ? count : 0, CancellationToken.None);
}
