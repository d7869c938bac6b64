namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>Something changed: <see cref="Next"/> completes at the next <see cref="Fire"/> after it was read.</summary>
internal sealed class Pulse
{
    private TaskCompletionSource current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref current).Task;

    public void Fire() => Interlocked.Exchange(ref current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
