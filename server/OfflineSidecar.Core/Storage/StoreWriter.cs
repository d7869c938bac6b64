using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// The one writer connection of this process, fed through a channel. Each round drains every job that
/// has arrived, runs them in ONE transaction and completes their callers only after COMMIT: one fsync
/// acknowledges a whole group, which is what makes durable enqueues fast.
/// <para>The outcomes of a round are published by ONE thread-pool work item that completes every job of the round
/// (continuations run there, synchronously): the writer thread moves on to the next transaction at once, never runs
/// caller code, and a group of N callers costs one thread hop instead of N.</para>
/// <para>A round made only of redoable jobs (<see cref="IWriteJob.IsRedoable"/>: the sync worker's bookkeeping) commits
/// at synchronous=NORMAL even when FULL is configured: no fsync, visible to every connection at once, and made durable
/// by the next FULL commit or checkpoint, whichever comes first. A job that must be durable never joins such a round: it
/// waits for the next one.</para>
/// </summary>
internal sealed class StoreWriter : IAsyncDisposable
{
    private const int MaxJobsPerTransaction = 4096;

    private readonly Channel<IWriteJob> jobs = Channel.CreateUnbounded<IWriteJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WriteSession session;
    private readonly Action<WriteSession> afterCommit;
    private readonly List<IWriteJob> batch = [];
    private readonly List<IWriteJob> finished = [];
    private readonly WalCheckpointer checkpointer;
    private readonly Task loop;
    private SynchronousMode appliedSynchronous;
    private volatile int requestedSynchronous;
    private long commitCount;
    private long relaxedCommitCount;

    /// <param name="checkpointer">Checkpoints off this thread (told of every commit, caught up between rounds), disposed with the writer.</param>
    public StoreWriter(
        SqliteConnection connection,
        SynchronousMode synchronous,
        WalCheckpointer checkpointer,
        TimeProvider time,
        Action<WriteSession> afterCommit)
    {
        this.checkpointer = checkpointer;
        session = new WriteSession(connection, time);
        this.afterCommit = afterCommit;
        appliedSynchronous = synchronous;
        requestedSynchronous = (int)synchronous;
        loop = Task.Run(DrainAsync);
    }

    /// <summary>Commits made by this process; part of the change stamp.</summary>
    public long CommitCount => Interlocked.Read(ref commitCount);

    /// <summary>Of <see cref="CommitCount"/>, those made at NORMAL although FULL was configured (redoable rounds).</summary>
    public long RelaxedCommitCount => Interlocked.Read(ref relaxedCommitCount);

    /// <summary>Background checkpoint passes completed so far.</summary>
    public long CheckpointPasses => checkpointer.Passes;

    /// <summary>Completes once <paramref name="count"/> background checkpoint passes have completed (tests).</summary>
    public Task WhenCheckpointPassesReachAsync(long count, CancellationToken cancellationToken) =>
        checkpointer.WhenPassesReachAsync(count, cancellationToken);

    /// <summary>Takes effect before the next transaction.</summary>
    public void RequestSynchronous(SynchronousMode mode) => requestedSynchronous = (int)mode;

    /// <param name="redoable">See <see cref="IWriteJob.IsRedoable"/>; only the sync worker's bookkeeping passes true.</param>
    public Task<T> RunAsync<T>(Func<WriteSession, T> work, CancellationToken cancellationToken, bool usesSavepoint = true, bool redoable = false)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var job = new WriteJob<T>(work, usesSavepoint, redoable, cancellationToken);
        return jobs.Writer.TryWrite(job) ? job.Task : Task.FromException<T>(SqliteErrors.Closed());
    }

    public async ValueTask DisposeAsync()
    {
        // Jobs already queued still run: the channel drains before the loop ends.
        jobs.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        await checkpointer.DisposeAsync().ConfigureAwait(false);
        session.Dispose();
    }

    private async Task DrainAsync()
    {
        var reader = jobs.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            if (TakeArrived(redoableOnly: false) > 0)
            {
                RunBatch();
                finished.AddRange(batch);
            }

            PublishFinished();
            // Between rounds, while the callers just answered are on their way back: see WalCheckpointer.CatchUp.
            checkpointer.CatchUp(session.Connection);
        }
    }

    /// <summary>Hands the round's outcomes to one thread-pool work item; see the class remarks.</summary>
    private void PublishFinished()
    {
        if (finished.Count == 0)
        {
            return;
        }

        var jobs = finished.ToArray();
        finished.Clear();
        ThreadPool.UnsafeQueueUserWorkItem(static jobs =>
        {
            foreach (var job in jobs)
            {
                job.Complete();
            }
        }, jobs, preferLocal: false);
    }

    /// <summary>
    /// Moves jobs that have arrived into the current batch, in arrival order; returns how many were taken. With
    /// <paramref name="redoableOnly"/> it stops at the first job that must be durable, which then starts the next round.
    /// </summary>
    private int TakeArrived(bool redoableOnly)
    {
        var taken = 0;
        while (batch.Count < MaxJobsPerTransaction && jobs.Reader.TryPeek(out var job))
        {
            if (job.IsCancellationRequested)
            {
                jobs.Reader.TryRead(out _);
                job.Cancel();
                finished.Add(job);
                continue;
            }

            if (redoableOnly && !job.IsRedoable)
            {
                break;
            }

            jobs.Reader.TryRead(out _);
            batch.Add(job);
            taken++;
        }

        return taken;
    }

    private void RunBatch()
    {
        try
        {
            // SQLite refuses to change the safety level inside a transaction, so the round's level is fixed here.
            var configured = (SynchronousMode)requestedSynchronous;
            var relaxed = configured == SynchronousMode.Full && batch.TrueForAll(job => job.IsRedoable);
            ApplySynchronous(relaxed ? SynchronousMode.Normal : configured);
            session.Sql("BEGIN IMMEDIATE;").ExecuteNonQuery();
            var executed = 0;
            do
            {
                // Callers that arrived while earlier jobs executed ride on the same commit (and fsync).
                for (; executed < batch.Count; executed++)
                {
                    Execute(batch[executed]);
                }
            }
            while (TakeArrived(redoableOnly: relaxed) > 0);

            session.Sql("COMMIT;").ExecuteNonQuery();
            Interlocked.Increment(ref commitCount);
            if (relaxed)
            {
                Interlocked.Increment(ref relaxedCommitCount);
            }

            checkpointer.Committed();
        }
        catch (Exception error)
        {
            FailBatch(error);
            return;
        }

        // Notify before acknowledging, so a caller that awaited its write has already been reflected in Changed.
        if (session.HasTouches)
        {
            try
            {
                afterCommit(session);
            }
            catch (Exception)
            {
                // Committed is committed: a failing count read or subscriber must not stop the writer or fail the callers.
                // The next change reports fresh counts.
            }

            session.ForgetTouches();
        }
    }

    private void Execute(IWriteJob job)
    {
        if (job.UsesSavepoint)
        {
            RunInSavepoint(job);
        }
        else
        {
            job.Execute(session);
        }
    }

    private void RunInSavepoint(IWriteJob job)
    {
        session.Sql("SAVEPOINT job;").ExecuteNonQuery();
        try
        {
            job.Execute(session);
        }
        catch (QueueException refusal)
        {
            session.Sql("ROLLBACK TO job;").ExecuteNonQuery();
            session.Sql("RELEASE job;").ExecuteNonQuery();
            job.Refuse(refusal);
            return;
        }

        session.Sql("RELEASE job;").ExecuteNonQuery();
    }

    /// <summary>A storage error ends the whole transaction: every job not yet refused gets the same error.</summary>
    private void FailBatch(Exception error)
    {
        try
        {
            StoreConnections.RollbackIfActive(session.Connection);
        }
        catch (SqliteException)
        {
            // The original error is the one worth reporting; SQLite rolls back on its own when it cannot.
        }

        session.ForgetTouches();
        var mapped = error switch
        {
            SqliteException sqlite => SqliteErrors.Map(sqlite),
            QueueException queue => queue,
            _ => new QueueException(QueueErrorKind.StorageFailure, $"storage failure: {error.Message}", error),
        };
        foreach (var job in batch)
        {
            job.Fail(mapped);
        }
    }

    private void ApplySynchronous(SynchronousMode mode)
    {
        if (mode != appliedSynchronous)
        {
            // Not a cached statement: SQLite applies this pragma while preparing it, so re-running a prepared one does nothing.
            StoreConnections.Execute(session.Connection, StoreConnections.SynchronousPragma(mode));
            appliedSynchronous = mode;
        }
    }
}
