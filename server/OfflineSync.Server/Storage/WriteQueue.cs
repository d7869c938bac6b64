namespace OfflineSync.Server.Storage;

/// <summary>
/// Group commit for the single writer connection. Writes are queued in arrival order; whoever finds the queue
/// idle becomes the drainer and applies everything queued so far in ONE transaction (one WAL append, one commit)
/// before completing each caller. Concurrent requests therefore never interleave: each work item sees the
/// effects of those queued before it, exactly as if they had been applied one transaction each, in order.
/// With a single client the caller drains its own write on its own thread, with no hand-off.
/// </summary>
/// <param name="betweenGroups">Runs on the drainer after each group's callers were completed, before the next group.</param>
internal sealed class WriteQueue(WriterStatements statements, Action betweenGroups)
{
    private readonly Lock gate = new();
    private List<WriteWork> pending = [];
    private bool draining;

    /// <summary>Applies <paramref name="apply"/> inside a write transaction; completes after that transaction
    /// committed, or faults (with nothing of it applied) when its transaction failed.</summary>
    public Task RunAsync(Action apply)
    {
        var work = new WriteWork(apply);
        lock (gate)
        {
            pending.Add(work);
            if (draining)
            {
                return work.Completion;
            }

            draining = true;
        }

        DrainOnce();
        if (!StopIfIdle())
        {
            // Writes arrived while this caller drained: a pool thread takes them on, so this caller's own
            // response does not wait for other callers' batches.
            ThreadPool.UnsafeQueueUserWorkItem(static queue => queue.DrainAll(), this, preferLocal: false);
        }

        return work.Completion;
    }

    private void DrainAll()
    {
        do
        {
            DrainOnce();
        }
        while (!StopIfIdle());
    }

    /// <returns>True when nothing is queued and the drainer role was given up.</returns>
    private bool StopIfIdle()
    {
        lock (gate)
        {
            if (pending.Count > 0)
            {
                return false;
            }

            draining = false;
            return true;
        }
    }

    private void DrainOnce()
    {
        List<WriteWork> group;
        lock (gate)
        {
            group = pending;
            pending = [];
        }

        try
        {
            RunInTransaction(group);
        }
#pragma warning disable CA1031 // Any failure is handed to the callers; the drainer itself must go on.
        catch (Exception) when (group.Count > 1)
        {
            // One work item may have failed the whole group: give each its own transaction, so that only the
            // failing one is answered with an error and the others are applied as if alone.
            foreach (var work in group)
            {
                try
                {
                    RunInTransaction([work]);
                }
                catch (Exception exception)
                {
                    work.Fail(exception);
                }
            }
        }
        catch (Exception exception)
        {
            group[0].Fail(exception);
        }
#pragma warning restore CA1031

        betweenGroups();
    }

    private void RunInTransaction(List<WriteWork> group)
    {
        try
        {
            statements.Begin.Execute();
            foreach (var work in group)
            {
                work.Apply();
            }

            statements.Commit.Execute();
        }
        catch
        {
            if (statements.InTransaction)
            {
                statements.Rollback.Execute();
            }

            throw;
        }

        foreach (var work in group)
        {
            work.Complete();
        }
    }
}
