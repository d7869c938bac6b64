using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage.Space;

/// <summary>A real store on a real file whose file system the probe says is nearly full.</summary>
public sealed class LowDiskSpaceStoreTests : StoreTestBase
{
    private const long MB = SpaceThresholds.Megabyte;
    private static readonly DiskSpace Plenty = new(10 * 1024 * MB, 100 * 1024 * MB);
    private static readonly DiskSpace NearlyFull = new(20 * MB, 100 * 1024 * MB);

    private readonly IFreeSpaceProbe probe = Substitute.For<IFreeSpaceProbe>();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    public override Task InitializeAsync()
    {
        probe.Measure(Arg.Any<string>()).Returns(Plenty);
        return base.InitializeAsync();
    }

    [Fact]
    public async Task Under_the_critical_threshold_new_work_is_refused_while_reads_retries_discards_export_and_sync_still_work()
    {
        await using var store = OpenWatched();
        var queue = store.Workspace("ws");
        var first = await EnqueueAsync(queue, "notes/a.md", """{"n":1}""");
        var second = await EnqueueAsync(queue, "notes/b.md", """{"n":2}""");
        var third = await EnqueueAsync(queue, "notes/c.md", """{"n":3}""");
        var exported = Directory.File("before.json");
        await queue.ExportAsync(exported);

        probe.Measure(Arg.Any<string>()).Returns(NearlyFull);
        time.Advance(SpaceWatcher.CheckInterval);
        var refused = await Assert.ThrowsAsync<QueueException>(() => EnqueueAsync(queue, "notes/d.md", """{"n":4}"""));
        var payloadRefused = await Assert.ThrowsAsync<QueueException>(() => queue.UpdatePayloadAsync(first.Id, """{"n":10}"""));
        var importRefused = await Assert.ThrowsAsync<QueueException>(() => store.Workspace("other").ImportAsync(exported));

        Assert.Equal(QueueErrorKind.LowDiskSpace, refused.Kind);
        Assert.Contains("20 MB free", refused.Message, StringComparison.Ordinal);
        Assert.Equal(QueueErrorKind.LowDiskSpace, payloadRefused.Kind);
        Assert.Equal(QueueErrorKind.LowDiskSpace, importRefused.Kind);
        Assert.Equal(SpaceLevel.Critical, store.Space!.Current!.Level);
        Assert.Equal(0, (await store.Workspace("other").GetCountsAsync()).Pending);

        // What frees space or needs none still works: reads, export, discard, retry, and the sync worker's writes.
        Assert.Equal(3, (await queue.GetCountsAsync()).Pending);
        Assert.Equal("""{"n":1}""", (await queue.GetAsync(first.Id))!.Operation.PayloadJson);
        Assert.Equal(3, await queue.ExportAsync(Directory.File("during.json")));
        Assert.Equal(1, await queue.DiscardAsync([third.Id]));
        Assert.Equal(0, await queue.RetryAsync([second.Id], allFailed: false));
        var claimed = await queue.ClaimEligibleAsync(10, time.GetUtcNow());
        await queue.ApplyOutcomesAsync(claimed.Select(o => Outcome(o.Id, OperationStatus.Succeeded, time.GetUtcNow())).ToList());
        var counts = await queue.GetCountsAsync();
        Assert.Equal((0, 2), (counts.Pending, counts.Succeeded));

        // Space returns: the next enqueue measures again and goes through, no reopening needed.
        probe.Measure(Arg.Any<string>()).Returns(Plenty);
        await EnqueueAsync(queue, "notes/d.md", """{"n":4}""");
        Assert.Equal(1, (await queue.GetCountsAsync()).Pending);
        Assert.Equal(SpaceLevel.Ok, store.Space.Current!.Level);
    }

    [Fact]
    public async Task Sqlite_reporting_the_disk_full_makes_the_watcher_measure_again_so_the_status_says_why()
    {
        await using var store = OpenWatched();
        var queue = store.Workspace("ws");
        await EnqueueAsync(queue, "notes/a.md", """{"n":1}""");
        var told = new List<SpaceLevel>();
        store.Space!.Changed += (_, reading) => told.Add(reading.Level);

        // The disk filled behind the watcher's back (its last reading still shows room), and SQLite runs out.
        probe.Measure(Arg.Any<string>()).Returns(new DiskSpace(300 * MB, 100 * 1024 * MB));
        await store.SetMaxPageCountAsync(await PageCountAsync(store));
        var full = await Assert.ThrowsAsync<QueueException>(() => EnqueueAsync(queue, "notes/b.md", "\"" + new string('x', 200_000) + "\""));

        Assert.Equal(QueueErrorKind.StorageFull, full.Kind);
        Assert.Equal([SpaceLevel.Low], told);
    }

    [Fact]
    public async Task Pulled_pages_are_never_refused_and_a_megabyte_of_them_measures_again()
    {
        await using var store = OpenWatched();
        var cache = store.Cache("ws");
        probe.Measure(Arg.Any<string>()).Returns(NearlyFull);
        var content = "\"" + new string('p', 400 * 1024) + "\"";
        ChangeRecord Pulled(int n) => new($"notes/{n}.md", DocumentTypes.Put, 1, $$"""{"content":{{content}},"encoding":"utf-8"}""", false);

        await cache.ApplyPageAsync(null, 1, new ChangesPage([Pulled(1), Pulled(2)], "2", true, null));
        Assert.Equal(SpaceLevel.Ok, store.Space!.Current!.Level);
        await cache.ApplyPageAsync("2", 1, new ChangesPage([Pulled(3)], "3", false, null));

        Assert.Equal(SpaceLevel.Critical, store.Space.Current!.Level);
        Assert.Equal(3, (await cache.GetTotalsAsync()).Entities);
    }

    private SqliteOperationStore OpenWatched() =>
        SqliteOperationStore.Open(new StoreOptions { DatabasePath = Directory.File("watched.db"), FreeSpaceProbe = probe }, time);

    private static Task<long> PageCountAsync(SqliteOperationStore store) =>
        store.Writer.RunAsync(session => session.Sql("PRAGMA page_count;").ExecuteScalar() is long count ? count : 0, CancellationToken.None);
}
