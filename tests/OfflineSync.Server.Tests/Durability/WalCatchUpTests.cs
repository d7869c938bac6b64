using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

/// <summary>
/// The WAL must start over from the beginning now and then, or it grows until the writer's backstop stops a batch
/// to checkpoint thousands of pages. Background passes cannot get there on their own while the writer commits.
/// </summary>
public sealed class WalCatchUpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_a_pass_that_left_frames_behind_the_writer_catches_up_and_the_WAL_starts_over()
    {
        using var scratch = new ScratchWriter();
        var (database, writer, statements) = (scratch.Database, scratch.Connection, scratch.Statements);
        var clock = new FakeTimeProvider();
        using var checkpointer = new WalCheckpointer(database, clock);
        var queue = new WriteQueue(statements, () => checkpointer.Committed(writer));
        await queue.RunAsync(() => EntityRows.Upsert(statements, "first"));
        await checkpointer.WhenPassesReachAsync(1, CancellationToken.None).WaitAsync(Patience);

        // A reader's snapshot stops the next pass short of the newest frames, as commits made during a pass do in
        // production.
        using (var reader = new SqliteConnection($"Data Source={database.FilePath};Mode=ReadOnly;Pooling=False"))
        {
            reader.Open();
            using var transaction = reader.BeginTransaction(deferred: true);
            using var read = reader.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT COUNT(*) FROM entities;";
            Assert.Equal(1L, read.ExecuteScalar());
            for (var i = 0; i < 20; i++)
            {
                await queue.RunAsync(() => EntityRows.Upsert(statements, $"e{i}"));
            }

            clock.Advance(WalCheckpointer.Interval);
            await checkpointer.WhenPassesReachAsync(2, CancellationToken.None).WaitAsync(Patience);
        }

        // The clock stands still from here: no background pass can run, so what empties the WAL is the writer's own
        // catch-up after this group, and the next transaction starts the WAL over.
        await queue.RunAsync(() => EntityRows.Upsert(statements, "caught-up"));
        await queue.RunAsync(() => EntityRows.Upsert(statements, "restarted"));

        Assert.Equal(2L, checkpointer.Passes);
        Assert.InRange(WalPages(database), 1, 4);
    }

    [Fact]
    public async Task Passes_follow_commits_and_an_idle_writer_gets_none()
    {
        using var scratch = new ScratchWriter();
        var clock = new FakeTimeProvider();
        using var checkpointer = new WalCheckpointer(scratch.Database, clock);
        var queue = new WriteQueue(scratch.Statements, () => checkpointer.Committed(scratch.Connection));

        await queue.RunAsync(() => EntityRows.Upsert(scratch.Statements, "one"));
        await checkpointer.WhenPassesReachAsync(1, CancellationToken.None).WaitAsync(Patience);

        // Four intervals with nothing committed. A pass the loop made up on its own would start as soon as the clock
        // moved, one thread-pool hop away; a fifth of a second is hundreds of those, so none arriving means none.
        clock.Advance(WalCheckpointer.Interval * 4);
        Assert.False(SpinWait.SpinUntil(() => checkpointer.Passes > 1, TimeSpan.FromMilliseconds(200)));

        await queue.RunAsync(() => EntityRows.Upsert(scratch.Statements, "two"));
        await checkpointer.WhenPassesReachAsync(2, CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(2L, checkpointer.Passes);
    }

    /// <summary>Pages in the WAL now: the second column of a PASSIVE pass made from a connection of its own.</summary>
    private static long WalPages(SyncDatabase database)
    {
        using var connection = new SqliteConnection($"Data Source={database.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var result = command.ExecuteReader();
        Assert.True(result.Read());
        return result.GetInt64(1);
    }
}
