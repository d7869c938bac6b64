namespace OfflineSidecar.Core.Signals;

/// <summary>
/// A count that only goes up, with a way to await it reaching a value: what tests (and diagnostics) wait on instead
/// of sleeping and hoping a background worker has had its turn.
/// </summary>
internal sealed class AwaitableCount
{
    private long value;
    private TaskCompletionSource raised = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Value => Interlocked.Read(ref value);

    public void Increment()
    {
        Interlocked.Increment(ref value);
        Interlocked.Exchange(ref raised, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes once the count is at least <paramref name="target"/>.</summary>
    public async Task WhenReachesAsync(long target, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            // The signal is read before the count: an increment in between completes the signal already held.
            var signal = Volatile.Read(ref raised).Task;
            if (Value >= target)
            {
                return;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
