using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class WalCheckpointTests : StoreTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Committed_pages_reach_the_database_file_long_before_the_writers_own_checkpoint_would_run()
    {
        // In WAL mode only a checkpoint writes the database file, so its growth shows a pass copied frames into it.
        var before = new FileInfo(DatabasePath).Length;
        for (var i = 0; i < WalCheckpointer.MinCommitsPerPass * 4; i++)
        {
            await EnqueueAsync(Queue, entityId: $"e{i % 5}", payload: $$"""{"text":"{{new string('x', 2000)}}","i":{{i}}}""");
        }

        // The pass writes the frames it copies into the file before it counts itself: the growth is there once it is.
        await Store.Writer.WhenCheckpointPassesReachAsync(1, CancellationToken.None).WaitAsync(Patience);
        Assert.True(new FileInfo(DatabasePath).Length > before, "the database file did not grow: nothing was checkpointed");
        // The writer's own automatic checkpoint is far away: what was copied, the background pass copied.
        var walPages = new FileInfo(DatabasePath + "-wal").Length / 4096;
        Assert.True(walPages < WalCheckpointer.BackstopPages, $"{walPages} WAL pages");
        Assert.Equal(WalCheckpointer.MinCommitsPerPass * 4, (await Queue.GetCountsAsync()).Pending);
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

            for (var i = 0; i < WalCheckpointer.MinCommitsPerPass * 3; i++)
            {
                await EnqueueAsync(Queue, entityId: $"e{i % 3}");
            }

            Assert.Equal(1L, await read.ExecuteScalarAsync());
        }

        var reopened = await ReopenAsync();
        Assert.Equal(1 + (WalCheckpointer.MinCommitsPerPass * 3), (await reopened.GetCountsAsync()).Pending);
    }

    /// <remarks>Without the catch-up (the control) the same commits leave the WAL unable to start over.</remarks>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_writer_copies_what_came_after_a_background_pass_so_the_WAL_starts_over(bool catchUp)
    {
        var path = Directory.File("catch-up.db");
        using var writer = OpenScratchWriter(path);
        await using var checkpointer = new WalCheckpointer(path, TimeSpan.FromSeconds(5));
        await LeaveFramesAfterAPassAsync(path, writer, checkpointer);

        if (catchUp)
        {
            checkpointer.CatchUp(writer);
        }

        Insert(writer, 100);

        // One small commit after the catch-up: the WAL holds only its frames, so it started over from the beginning.
        var walPages = Checkpoint(path).Log;
        if (catchUp)
        {
            Assert.InRange(walPages, 1, 4);
        }
        else
        {
            Assert.True(walPages > WalCheckpointer.MinCommitsPerPass, $"the WAL started over without a catch-up ({walPages} pages)");
        }
    }

    [Fact]
    public async Task Small_commits_space_the_passes_out()
    {
        var path = Directory.File("small.db");
        using var writer = OpenScratchWriter(path);
        await using var checkpointer = new WalCheckpointer(path, TimeSpan.FromSeconds(5));
        Assert.Equal(WalCheckpointer.MinCommitsPerPass, checkpointer.CommitsPerPass);

        // About one page a commit: the pages of a pass are spread over as many commits as the bound allows.
        await CommitUntilPassAsync(writer, checkpointer, rowBytes: 100);

        Assert.Equal(WalCheckpointer.MaxCommitsPerPass, checkpointer.CommitsPerPass);
    }

    [Fact]
    public async Task Large_commits_keep_the_passes_frequent()
    {
        var path = Directory.File("large.db");
        using var writer = OpenScratchWriter(path);
        await using var checkpointer = new WalCheckpointer(path, TimeSpan.FromSeconds(5));

        // ~300 pages a commit: PagesPerPass over that is below the lower bound.
        await CommitUntilPassAsync(writer, checkpointer, rowBytes: 300 * 4096);

        Assert.Equal(WalCheckpointer.MinCommitsPerPass, checkpointer.CommitsPerPass);
    }

    /// <summary>
    /// A background pass that could not copy the newest frames, made deterministic: a reader holds an older snapshot
    /// while the pass runs, as the writer's next commits do in production by arriving during the pass.
    /// </summary>
    private static async Task LeaveFramesAfterAPassAsync(string path, SqliteConnection writer, WalCheckpointer checkpointer)
    {
        for (var i = 0; i < 8; i++)
        {
            Insert(writer, 100);
        }

        using var reader = StoreConnections.OpenReader(path, TimeSpan.FromSeconds(5));
        using (var transaction = reader.BeginTransaction(deferred: true))
        {
            using var read = reader.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT COUNT(*) FROM t;";
            Assert.Equal(8L, read.ExecuteScalar());
            await CommitUntilPassAsync(writer, checkpointer, rowBytes: 100);
        }
    }

    private static async Task CommitUntilPassAsync(SqliteConnection writer, WalCheckpointer checkpointer, int rowBytes)
    {
        var passes = checkpointer.Passes;
        for (var i = 0; i < checkpointer.CommitsPerPass; i++)
        {
            Insert(writer, rowBytes);
            checkpointer.Committed();
        }

        await checkpointer.WhenPassesReachAsync(passes + 1, CancellationToken.None).WaitAsync(Patience);
    }

    /// <summary>A writer on a database of its own, with one table: the checkpointer's part without the queue's.</summary>
    private static SqliteConnection OpenScratchWriter(string path)
    {
        // Connections open read-write only; an empty file is an empty database.
        File.WriteAllBytes(path, []);
        var writer = StoreConnections.OpenWriter(path, SynchronousMode.Normal, TimeSpan.FromSeconds(5));
        StoreConnections.Execute(writer, "CREATE TABLE t (x TEXT);");
        return writer;
    }

    private static void Insert(SqliteConnection writer, int bytes)
    {
        using var command = writer.CreateCommand();
        command.CommandText = "INSERT INTO t (x) VALUES ($x);";
        command.Parameters.AddWithValue("$x", new string('x', bytes));
        command.ExecuteNonQuery();
    }

    /// <summary>A PASSIVE pass from a connection of its own: (pages in the WAL, pages copied).</summary>
    private static (long Log, long Copied) Checkpoint(string path)
    {
        using var connection = StoreConnections.Open(path, TimeSpan.FromSeconds(5));
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var result = command.ExecuteReader();
        Assert.True(result.Read());
        return (result.GetInt64(1), result.GetInt64(2));
    }
}
