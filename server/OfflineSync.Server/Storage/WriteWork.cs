namespace OfflineSync.Server.Storage;

/// <summary>
/// One caller's write, run by the <see cref="WriteQueue"/> inside a transaction it may share with other callers'
/// writes. <see cref="Apply"/> may run more than once (after a rolled-back group it runs again alone), so it
/// must compute everything afresh each time; the caller sees the outcome only once its transaction committed.
/// </summary>
internal sealed class WriteWork(Action apply)
{
    // Asynchronous continuations: the drainer completes many callers' work and must not run their response
    // writing on its own thread before it gets back to the queue.
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => completion.Task;

    public void Apply() => apply();

    public void Complete() => completion.TrySetResult();

    public void Fail(Exception exception) => completion.TrySetException(exception);
}
