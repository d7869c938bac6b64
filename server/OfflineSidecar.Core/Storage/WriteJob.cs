namespace OfflineSidecar.Core.Storage;

internal sealed class WriteJob<T>(Func<WriteSession, T> work, bool usesSavepoint, bool redoable, CancellationToken cancellationToken) : IWriteJob
{
    // Continuations run synchronously: the writer completes a whole group from one thread-pool work item
    // (never its own thread), so each caller resumes right there instead of costing one more thread-pool hop.
    private readonly TaskCompletionSource<T> completion = new();
    private T? result;
    private Exception? error;
    private bool refused;
    private bool cancelled;

    public Task<T> Task => completion.Task;

    public bool UsesSavepoint => usesSavepoint;

    public bool IsRedoable => redoable;

    public bool IsCancellationRequested => cancellationToken.IsCancellationRequested;

    public void Execute(WriteSession session) => result = work(session);

    public void Refuse(Exception refusal)
    {
        error = refusal;
        refused = true;
    }

    public void Fail(Exception failure)
    {
        if (!refused)
        {
            error = failure;
        }
    }

    public void Cancel() => cancelled = true;

    public void Complete()
    {
        if (cancelled)
        {
            completion.TrySetCanceled(cancellationToken);
        }
        else if (error is not null)
        {
            completion.TrySetException(error);
        }
        else
        {
            completion.TrySetResult(result!);
        }
    }
}
