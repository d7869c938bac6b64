using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage;

/// <summary>
/// Copies committed WAL frames into the database file on its own connection and thread, so that the writer's
/// commits no longer stop every ~1,000 pages to run that checkpoint (and its fsyncs) themselves: those stops
/// were the p99 of a batch. PASSIVE never blocks the writer; what a pass could not copy the writer copies itself
/// (<see cref="Committed"/>). The writer keeps a larger automatic checkpoint, only as a backstop. Passes follow
/// commits, at most one per <see cref="Interval"/>: an idle server runs none.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Channel<bool> requests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly SqliteConnection connection;
    private readonly SqliteCommand checkpoint;
    private readonly CancellationTokenSource stopping = new();
    private readonly TimeProvider pacing;
    private readonly Task loop;
    private volatile bool catchUpDue;
    private long passes;
    private TaskCompletionSource passed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="database">The store whose WAL the passes copy.</param>
    /// <param name="pacing">
    /// Spaces the passes. The server gives the system's clock, not the one that stamps commands: the pause is about
    /// the disk, and a server whose business clock a test holds still must keep its WAL short all the same.
    /// </param>
    public WalCheckpointer(SyncDatabase database, TimeProvider pacing)
    {
        this.pacing = pacing;
        connection = database.OpenCheckpointer();
        checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        loop = Task.Run(RunAsync);
    }

    /// <summary>Background passes run so far, failed ones included (tests).</summary>
    public long Passes => Interlocked.Read(ref passes);

    /// <summary>Completes once <paramref name="count"/> background passes have run (tests await it, not a pause).</summary>
    public async Task WhenPassesReachAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Read the signal before the count: a pass finishing in between completes the signal already held.
            var signal = Volatile.Read(ref passed).Task;
            if (Passes >= count)
            {
                return;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the loop, waiting for a pass under way (it never blocks on the writer).</summary>
    public void Dispose()
    {
        stopping.Cancel();
        loop.GetAwaiter().GetResult();
        checkpoint.Dispose();
        connection.Dispose();
        stopping.Dispose();
    }

    /// <summary>
    /// Called by the writer between transactions, after a commit: asks for a pass (a request made while one is already
    /// waiting is the same request), and first catches up. A pass copies the WAL only up to the commit it started at;
    /// while the writer commits continuously there usually are newer frames, so the WAL could rarely start over: it
    /// would grow until the writer's backstop stops a batch to checkpoint thousands of pages. After a pass that left
    /// frames behind, the writer copies those few itself, which nothing can race, and its next transaction starts
    /// the WAL over.
    /// </summary>
    public void Committed(SqliteConnection writer)
    {
        requests.Writer.TryWrite(true);
        if (!catchUpDue)
        {
            return;
        }

        catchUpDue = false;
        try
        {
            using var command = writer.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // As for a background pass: the frames stay in the WAL for the next one.
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (await requests.Reader.WaitToReadAsync(stopping.Token))
            {
                requests.Reader.TryRead(out _);
                try
                {
                    using var result = checkpoint.ExecuteReader();
                    // Columns: busy, pages in the WAL, pages copied. Frames committed during the pass stay behind.
                    catchUpDue = result.Read() && result.GetInt64(2) < result.GetInt64(1);
                }
                catch (SqliteException)
                {
                    // A failed pass leaves the frames in the WAL, where the writer's own checkpoint still gets
                    // them; nothing committed is at risk.
                }

                // Commits made meanwhile leave one request, served after the pause: one pass per interval under load.
                // The pass is counted once the pause has started, so whoever holds the clock still and sees the
                // count can move the clock past this pause.
                var pause = Task.Delay(Interval, pacing, stopping.Token);
                Interlocked.Increment(ref passes);
                Interlocked.Exchange(ref passed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
                    .TrySetResult();
                await pause;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
