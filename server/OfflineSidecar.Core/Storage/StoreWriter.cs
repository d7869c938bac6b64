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

    /// <summary>Background checkpoint passes completed so far.</summary>
    public long CheckpointPasses => checkpointer.Passes;

    /// <summary>Takes effect before the next transaction.</summary>
    public void RequestSynchronous(SynchronousMode mode) => requestedSynchronous = (int)mode;

    public Task<T> RunAsync<T>(Func<WriteSession, T> work, CancellationToken cancellationToken, bool usesSavepoint = true)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var job = new WriteJob<T>(work, usesSavepoint, cancellationToken);
        return jobs.Writer.TryWrite(job) ? job.Task : Task.FromException<T>(SqliteErrors.Closed());
    }

    public async ValueTask DisposeAsync()
    {
        // Jobs already queued still run: the channel drains before the loop ends.
        jobs.Writer.TryComplete();
        await loop;
        await checkpointer.DisposeAsync();
        session.Dispose();
    }

    private async Task DrainAsync()
    {
        var reader = jobs.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            if (TakeArrived() > 0)
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

    /// <summary>Moves jobs that have arrived into the current batch; returns how many were taken.</summary>
    private int TakeArrived()
    {
        var taken = 0;
        while (batch.Count < MaxJobsPerTransaction && jobs.Reader.TryRead(out var job))
        {
            if (job.IsCancellationRequested)
            {
                job.Cancel();
                finished.Add(job);
                continue;
            }

            batch.Add(job);
            taken++;
        }

        return taken;
    }

    private void RunBatch()
    {
        try
        {
            ApplySynchronousIfChanged();
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
            while (TakeArrived() > 0);

            session.Sql("COMMIT;").ExecuteNonQuery();
            Interlocked.Increment(ref commitCount);
            checkpointer.Committed();
        }
        catch (Exception error)
        {
            FailBatch(error);
            return;
        }

        // Notify before acknowledging, so a caller that awaited its write has already been reflected in Changed.
        if (session.TouchedWorkspaces.Count > 0)
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

    private void ApplySynchronousIfChanged()
    {
        var requested = (SynchronousMode)requestedSynchronous;
        if (requested != appliedSynchronous)
        {
            StoreConnections.Execute(session.Connection, StoreConnections.SynchronousPragma(requested));
            appliedSynchronous = requested;
        }
    }
}
