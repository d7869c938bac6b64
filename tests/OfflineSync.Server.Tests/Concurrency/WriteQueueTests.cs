using OfflineSync.Server.Storage;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Concurrency;

/// <summary>The group commit itself: writes queued while another is being applied share one transaction, and
/// one failing write must not take the others of its group down with it.</summary>
public sealed class WriteQueueTests
{
    [Fact]
    public async Task A_failing_write_in_a_group_rolls_back_alone_and_the_others_commit()
    {
        using var scratch = new ScratchWriter();
        var (database, statements) = (scratch.Database, scratch.Statements);
        var queue = new WriteQueue(statements, () => { });
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        var first = Task.Run(() => queue.RunAsync(() =>
        {
            EntityRows.Upsert(statements, "first");
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(10));
        }));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        // Queued while the first is applied, so both go into the next group, one transaction.
        var failing = queue.RunAsync(() =>
        {
            EntityRows.Upsert(statements, "failing");
            throw new InvalidOperationException("injected");
        });
        var other = queue.RunAsync(() => EntityRows.Upsert(statements, "other"));
        Assert.False(failing.IsCompleted);
        Assert.False(other.IsCompleted);
        release.Set();

        await first;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await other;
        var reader = new SyncStoreReader(database);
        Assert.NotNull(reader.ReadEntity("ws", "first"));
        Assert.Null(reader.ReadEntity("ws", "failing"));
        Assert.NotNull(reader.ReadEntity("ws", "other"));
    }

    [Fact]
    public async Task Writes_queued_together_see_each_other_in_arrival_order()
    {
        using var scratch = new ScratchWriter();
        var (database, statements) = (scratch.Database, scratch.Statements);
        var queue = new WriteQueue(statements, () => { });
        var seen = new List<long>();

        var all = Enumerable.Range(0, 50).Select(_ => Task.Run(() => queue.RunAsync(() =>
        {
            var version = ReadVersion(statements, "counter") + 1;
            EntityRows.Upsert(statements, "counter", version);
            seen.Add(version);
        }))).ToArray();
        await Task.WhenAll(all);

        Assert.Equal(Enumerable.Range(1, 50).Select(v => (long)v), seen);
        Assert.Equal(50, new SyncStoreReader(database).ReadEntity("ws", "counter")!.Version);
    }

    private static long ReadVersion(WriterStatements statements, string entityId)
    {
        var find = statements.FindVersion;
        find.BindText(1, "ws");
        find.BindText(2, entityId);
        try
        {
            return find.Step() ? find.Int64(0) : 0;
        }
        finally
        {
            find.Reset();
        }
    }
}
