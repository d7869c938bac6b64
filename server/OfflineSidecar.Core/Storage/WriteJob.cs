namespace OfflineSidecar.Core.Storage;

internal sealed class WriteJob<T>(Func<WriteSession, T> work, bool usesSavepoint, CancellationToken cancellationToken) : IWriteJob
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? result;

    public Task<T> Task => completion.Task;

    public bool UsesSavepoint => usesSavepoint;

    public bool IsCancellationRequested => cancellationToken.IsCancellationRequested;

    public void Execute(WriteSession session) => result = work(session);

    public void Commit() => completion.TrySetResult(result!);

    public void Fail(Exception error) => completion.TrySetException(error);

    public void Cancel() => completion.TrySetCanceled(cancellationToken);
}
