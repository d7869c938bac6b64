namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// Counts the loop's steps started and finished, with a signal per finished step: a test that must show the loop did
/// NOT act on something awaits a step that began after it, instead of sleeping and hoping the loop had its turn.
/// </summary>
internal sealed class LoopSteps
{
    private long started;
    private long completed;
    private TaskCompletionSource stepCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many steps have begun; a step numbered above it starts after this read.</summary>
    public long Started => Interlocked.Read(ref started);

    /// <summary>How many steps have finished; step number <c>Completed + 1</c> is the next one to finish.</summary>
    public long Completed => Interlocked.Read(ref completed);

    public void Start() => Interlocked.Increment(ref started);

    public void Complete()
    {
        Interlocked.Increment(ref completed);
        Interlocked.Exchange(ref stepCompleted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes when step number <paramref name="step"/> (1-based) has finished.</summary>
    public async Task WhenCompletedAsync(long step)
    {
        while (true)
        {
            var next = Volatile.Read(ref stepCompleted).Task;
            if (Interlocked.Read(ref completed) >= step)
            {
                return;
            }

            await next.ConfigureAwait(false);
        }
    }
}
