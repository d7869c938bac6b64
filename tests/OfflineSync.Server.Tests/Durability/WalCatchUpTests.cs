using Microsoft.Data.Sqlite;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Durability;

/// <summary>
/// The WAL must start over from the beginning now and then, or it grows until the writer's backstop stops a batch
/// to checkpoint thousands of pages. Background passes cannot get there on their own while the writer commits.
/// </summary>
public sealed class WalCatchUpTests
{
    [Fact]
    public async Task After_a_pass_that_left_frames_behind_the_writer_catches_up_and_the_WAL_starts_over()
    {
        using var scratch = new ScratchWriter();
        var (database, writer, statements) = (scratch.Database, scratch.Connection, scratch.Statements);
        using var checkpointer = new WalCheckpointer(database);
        var queue = new WriteQueue(statements, () => checkpointer.Committed(writer));
        await queue.RunAsync(() => EntityRows.Upsert(statements, "first"));

        // A reader's snapshot stops every background pass short of the newest frames, as commits made during a
        // pass do in production.
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

            await Task.Delay(TimeSpan.FromMilliseconds(350)); // a few 100 ms passes, each stopped at the snapshot
        }

        await queue.RunAsync(() => EntityRows.Upsert(statements, "caught-up")); // the catch-up runs after this group
        await queue.RunAsync(() => EntityRows.Upsert(statements, "restarted"));

        Assert.InRange(WalPages(database), 1, 4);
    }

    [Fact]
    public async Task Passes_follow_commits_and_an_idle_writer_gets_none()
    {
        using var scratch = new ScratchWriter();
        using var checkpointer = new WalCheckpointer(scratch.Database);
        var queue = new WriteQueue(scratch.Statements, () => checkpointer.Committed(scratch.Connection));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0L, checkpointer.Passes);

        await queue.RunAsync(() => EntityRows.Upsert(scratch.Statements, "one"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (checkpointer.Passes == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var afterCommit = checkpointer.Passes;
        await Task.Delay(TimeSpan.FromMilliseconds(400)); // four intervals with nothing committed
        Assert.Equal(1L, afterCommit);
        Assert.Equal(afterCommit, checkpointer.Passes);
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
