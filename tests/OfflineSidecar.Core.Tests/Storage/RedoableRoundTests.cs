using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

/// <summary>
/// The sync worker's bookkeeping commits without an fsync; whatever the user was told is done still gets one.
/// The level a job's transaction commits at is read inside the job, where SQLite reports the connection's setting.
/// </summary>
public sealed class RedoableRoundTests : StoreTestBase
{
    private const long Normal = 1;
    private const long Full = 2;

    [Fact]
    public async Task Claims_and_outcomes_commit_without_a_flush_and_user_writes_with_one()
    {
        var first = await EnqueueAsync(entityId: "a");
        await EnqueueAsync(entityId: "b");
        Assert.Equal(0, Store.Writer.RelaxedCommitCount);

        Assert.Equal(2, (await ClaimIdsAsync()).Count);
        Assert.Equal(1, Store.Writer.RelaxedCommitCount);
        await CompleteAsync(first.Id, OperationStatus.Succeeded);
        Assert.Equal(2, Store.Writer.RelaxedCommitCount);

        var durableBefore = Store.Writer.CommitCount - Store.Writer.RelaxedCommitCount;
        await Queue.ApplyOutcomesAsync([Outcome((await ListAllAsync()).Single(o => o.EntityId == "b").Id, OperationStatus.Failed, Clock.GetUtcNow(), "rejected")]);
        await Queue.RetryAsync(null, allFailed: true);
        await EnqueueAsync(entityId: "c");

        Assert.Equal(3, Store.Writer.RelaxedCommitCount);
        Assert.Equal(durableBefore + 2, Store.Writer.CommitCount - Store.Writer.RelaxedCommitCount);
        Assert.Equal(Normal, await LevelOfAsync(redoable: true));
        Assert.Equal(Full, await LevelOfAsync(redoable: false));
    }

    [Fact]
    public async Task A_durable_job_never_joins_a_relaxed_round_and_lifts_the_round_it_starts()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = Store.Writer.RunAsync(
            session =>
            {
                started.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                return Level(session);
            },
            CancellationToken.None,
            redoable: true);
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

        // Queued while the relaxed round runs: the first would ride on it, the second must not.
        var redoableBefore = LevelOfAsync(redoable: true);
        var durable = LevelOfAsync(redoable: false);
        var redoableAfter = LevelOfAsync(redoable: true);
        release.Set();

        Assert.Equal(Normal, await holder);
        Assert.Equal(Normal, await redoableBefore);
        Assert.Equal(Full, await durable);
        // Arrived with a durable job, so it shares that job's flush.
        Assert.Equal(Full, await redoableAfter);
    }

    [Fact]
    public async Task With_normal_configured_every_round_is_normal_and_none_counts_as_relaxed()
    {
        var store = Open(new StoreOptions { DatabasePath = Directory.File("normal.db"), Synchronous = SynchronousMode.Normal });

        Assert.Equal(Normal, await LevelOfAsync(store, redoable: false));
        Assert.Equal(Normal, await LevelOfAsync(store, redoable: true));
        Assert.Equal(0, store.Writer.RelaxedCommitCount);
    }

    [Fact]
    public async Task Setting_full_again_applies_to_user_writes_but_bookkeeping_stays_relaxed()
    {
        Store.ApplySettings(SynchronousMode.Normal, 1024 * 1024);
        Assert.Equal(Normal, await LevelOfAsync(redoable: false));

        Store.ApplySettings(SynchronousMode.Full, 1024 * 1024);
        Assert.Equal(Full, await LevelOfAsync(redoable: false));
        Assert.Equal(Normal, await LevelOfAsync(redoable: true));
    }

    [Fact]
    public async Task Relaxed_commits_are_visible_to_other_connections_and_survive_reopen()
    {
        var enqueued = await EnqueueAsync(entityId: "a");
        await ClaimIdsAsync();
        await CompleteAsync(enqueued.Id, OperationStatus.Succeeded);

        Assert.Equal(1, (await Queue.GetCountsAsync()).Succeeded);
        var reopened = await ReopenAsync();
        Assert.Equal(OperationStatus.Succeeded, (await reopened.GetAsync(enqueued.Id))!.Operation.Status);
    }

    private Task<long> LevelOfAsync(bool redoable) => LevelOfAsync(Store, redoable);

    private static Task<long> LevelOfAsync(SqliteOperationStore store, bool redoable) =>
        store.Writer.RunAsync(Level, CancellationToken.None, redoable: redoable);

    private static long Level(WriteSession session)
    {
        // A fresh command: SQLite evaluates this pragma when preparing it, so a cached statement would report a stale level.
        using var command = session.Connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        return (long)command.ExecuteScalar()!;
    }
}
