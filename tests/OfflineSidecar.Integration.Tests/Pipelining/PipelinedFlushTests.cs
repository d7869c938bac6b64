using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Pipelining;

/// <summary>
/// Several batches on the wire at once, against the real SQLite store: the is_head rule alone must keep each entity's
/// operations in order and never let two of them travel together; a flush that stops puts unsent claims back.
/// </summary>
public sealed class PipelinedFlushTests
{
    private const string Workspace = "ws-pipe";

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task BatchesInFlightTogetherKeepEveryEntityInOrderAndNeverOverlap(int batchesInFlight)
    {
        using var directory = new TempDirectory("pipeline");
        await using var store = OpenStore(directory);
        var queue = store.Workspace(Workspace);
        // Few entities with many operations each, and a band of one-operation entities: batches mix both.
        for (var i = 0; i < 600; i++)
        {
            var entity = i % 2 == 0 ? $"e{i % 7}" : $"solo{i}";
            await queue.EnqueueAsync(new EnqueueRequest { Type = "document.put.v1", EntityId = entity, PayloadJson = $"{{\"n\":{i}}}" });
        }

        var transport = new RecordingTransport();
        var options = new SyncOptions { ServerUrl = new Uri("http://127.0.0.1:5999/"), BatchSize = 10, MaxBatchesInFlight = batchesInFlight };
        await using (var engine = new SyncEngine(queue, options, _ => transport, new OnlineNetwork(), TimeProvider.System, SystemRandomSource.Instance))
        {
            await engine.StartAsync();
            await Wait.UntilAsync(async () => await queue.GetCountsAsync() is { Pending: 0, Syncing: 0 }, "the queue drained");
        }

        Assert.Empty(transport.Overlaps);
        var arrivals = transport.Arrivals;
        Assert.Equal(600, arrivals.Values.Sum(l => l.Count));
        foreach (var (entity, sequences) in arrivals)
        {
            Assert.True(sequences.SequenceEqual(sequences.Order()), $"{entity} arrived out of order: {string.Join(",", sequences)}");
        }

        Assert.Equal(600, (await queue.GetCountsAsync()).Succeeded);
        if (batchesInFlight > 1)
        {
            Assert.True(transport.MaxInFlight > 1, "batches never overlapped: the pipeline did not run");
        }

        Assert.True(transport.MaxInFlight <= batchesInFlight, $"{transport.MaxInFlight} batches in flight, more than {batchesInFlight}");
    }

    [Fact]
    public async Task AFlushCancelledWithBatchesOnTheWireLeavesThemPendingWithoutUsingAttempts()
    {
        using var directory = new TempDirectory("pipeline");
        await using var store = OpenStore(directory);
        var queue = await OneOperationPerEntityAsync(store, 100);

        // The first batch is answered (that opens the pipeline), the next three hang until the engine stops.
        var transport = new RecordingTransport { Gate = new TaskCompletionSource(), GateAfter = 1 };
        var options = new SyncOptions { ServerUrl = new Uri("http://127.0.0.1:5999/"), BatchSize = 10, MaxBatchesInFlight = 3 };
        var engine = new SyncEngine(queue, options, _ => transport, new OnlineNetwork(), TimeProvider.System, SystemRandomSource.Instance);
        await engine.StartAsync();
        await Wait.UntilAsync(() => transport.Sends == 4, "three batches on the wire after the first answer");
        await Wait.UntilAsync(async () => await queue.GetCountsAsync() is { Succeeded: 10, Syncing: 30 }, "the first answer recorded");

        await engine.DisposeAsync();

        var counts = await queue.GetCountsAsync();
        Assert.Equal((90L, 0L, 10L), (counts.Pending, counts.Syncing, counts.Succeeded));
        var page = await queue.ListAsync(new ListQuery([OperationStatus.Pending], Limit: 100));
        Assert.All(page.Items, o => Assert.Equal(0, o.Attempts));
    }

    [Fact]
    public async Task GoingOfflineMidFlushSendsNothingMoreAndLeavesNothingSyncing()
    {
        using var directory = new TempDirectory("pipeline");
        await using var store = OpenStore(directory);
        var queue = await OneOperationPerEntityAsync(store, 200);

        var transport = new RecordingTransport();
        var options = new SyncOptions { ServerUrl = new Uri("http://127.0.0.1:5999/"), BatchSize = 10, MaxBatchesInFlight = 4 };
        await using var engine = new SyncEngine(queue, options, _ => transport, new OnlineNetwork(), TimeProvider.System, SystemRandomSource.Instance);
        transport.OnSend = count =>
        {
            if (count == 6)
            {
                engine.SetWorkOffline(true);
            }
        };
        await engine.StartAsync();
        await Wait.UntilAsync(async () => !engine.State.Syncing && await queue.GetCountsAsync() is { Syncing: 0 }, "the flush ended");

        var counts = await queue.GetCountsAsync();
        // What went out was answered and recorded; nothing else was sent, used an attempt or stayed syncing.
        Assert.Equal(transport.Sends * 10L, counts.Succeeded);
        Assert.Equal(200L - counts.Succeeded, counts.Pending);
        Assert.True(transport.Sends < 20, $"{transport.Sends} batches sent after going offline at the 6th");
        var pending = await queue.ListAsync(new ListQuery([OperationStatus.Pending], Limit: 200));
        Assert.All(pending.Items, o => Assert.Equal(0, o.Attempts));
    }

    [Fact]
    public async Task AServerFailingMidDrainCostsOnlyTheBatchesOnTheWireAnAttempt()
    {
        using var directory = new TempDirectory("pipeline");
        await using var store = OpenStore(directory);
        var queue = await OneOperationPerEntityAsync(store, 300);

        var transport = new RecordingTransport { Override = count => count > 4 ? SendBatchResult.ServerError(500, "boom") : null };
        var options = new SyncOptions
        {
            ServerUrl = new Uri("http://127.0.0.1:5999/"),
            BatchSize = 10,
            MaxBatchesInFlight = 4,
            BackoffBase = TimeSpan.FromMinutes(10),
            BackoffCap = TimeSpan.FromMinutes(10),
        };
        await using var engine = new SyncEngine(queue, options, _ => transport, new OnlineNetwork(), TimeProvider.System, SystemRandomSource.Instance);
        await engine.StartAsync();
        await Wait.UntilAsync(async () => transport.Sends > 4 && !engine.State.Syncing && await queue.GetCountsAsync() is { Syncing: 0 }, "the flush stopped");

        var sends = transport.Sends;
        var counts = await queue.GetCountsAsync();
        Assert.Equal(40L, counts.Succeeded);
        var pending = (await queue.ListAsync(new ListQuery([OperationStatus.Pending], Limit: 500))).Items;
        Assert.Equal(260, pending.Count);
        // Failed sends (the 5th on) were on the wire when the first failure came back: at most a pipeline's worth.
        Assert.InRange(sends, 5, 4 + 4);
        Assert.Equal((sends - 4) * 10, pending.Count(o => o.Attempts == 1));
        Assert.Equal(260 - ((sends - 4) * 10), pending.Count(o => o.Attempts == 0));
        Assert.Equal(SyncErrorCodes.ServerError, engine.State.LastError?.Code);
        // A woken step must respect the 10-minute hold: one that began after the wake has run to its end, and a retry
        // that ignored the hold would have sent within it.
        var after = engine.StepsStarted;
        engine.Wake();
        await engine.WhenStepCompletedAsync(after + 1).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(sends, transport.Sends);
    }

    private static SqliteOperationStore OpenStore(TempDirectory directory) =>
        SqliteOperationStore.Open(new StoreOptions { DatabasePath = Path.Combine(directory.Path, "queue.db") }, TimeProvider.System);

    /// <summary>The workspace's queue with <paramref name="count"/> operations, each on its own entity (all heads).</summary>
    private static async Task<SqliteWorkspaceStore> OneOperationPerEntityAsync(SqliteOperationStore store, int count)
    {
        var queue = store.Workspace(Workspace);
        for (var i = 0; i < count; i++)
        {
            await queue.EnqueueAsync(new EnqueueRequest { Type = "document.put.v1", EntityId = $"e{i}", PayloadJson = "{}" });
        }

        return queue;
    }
}
