using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class WalCheckpointTests : StoreTestBase
{
    [Fact]
    public async Task Committed_pages_reach_the_database_file_long_before_the_writers_own_checkpoint_would_run()
    {
        // In WAL mode only a checkpoint writes the database file, so its growth shows a pass copied frames into it.
        var before = new FileInfo(DatabasePath).Length;
        for (var i = 0; i < WalCheckpointer.CommitsPerPass * 4; i++)
        {
            await EnqueueAsync(Queue, entityId: $"e{i % 5}", payload: $$"""{"text":"{{new string('x', 2000)}}","i":{{i}}}""");
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (new FileInfo(DatabasePath).Length <= before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(Store.Writer.CheckpointPasses >= 1, "no background checkpoint pass ran");
        Assert.True(new FileInfo(DatabasePath).Length > before, "the database file did not grow: nothing was checkpointed");
        // The writer's own automatic checkpoint is far away: what was copied, the background pass copied.
        var walPages = new FileInfo(DatabasePath + "-wal").Length / 4096;
        Assert.True(walPages < WalCheckpointer.BackstopPages, $"{walPages} WAL pages");
        Assert.Equal(WalCheckpointer.CommitsPerPass * 4, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public void The_writer_checkpoints_by_itself_only_as_a_backstop()
    {
        using var connection = StoreConnections.OpenWriter(DatabasePath, SynchronousMode.Full, TimeSpan.FromSeconds(5));
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint;";

        Assert.Equal((long)WalCheckpointer.BackstopPages, command.ExecuteScalar());
    }

    [Fact]
    public async Task Writes_go_on_while_a_reader_pins_the_WAL_and_are_all_there_after_reopen()
    {
        // An open read transaction stops a PASSIVE pass short of its snapshot; it must never stop or fail a write.
        await EnqueueAsync(Queue, entityId: "pinned");
        await using (var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString()))
        {
            await reader.OpenAsync();
            // Deferred: a plain BEGIN takes no lock until the first read, which then holds its snapshot.
            await using var transaction = reader.BeginTransaction(deferred: true);
            await using var read = reader.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT COUNT(*) FROM operations;";
            Assert.Equal(1L, await read.ExecuteScalarAsync());

            for (var i = 0; i < WalCheckpointer.CommitsPerPass * 3; i++)
            {
                await EnqueueAsync(Queue, entityId: $"e{i % 3}");
            }

            Assert.Equal(1L, await read.ExecuteScalarAsync());
        }

        var reopened = await ReopenAsync();
        Assert.Equal(1 + (WalCheckpointer.CommitsPerPass * 3), (await reopened.GetCountsAsync()).Pending);
    }
}
