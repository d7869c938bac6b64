using OfflineSidecar.Core.Signals;

namespace OfflineSidecar.Core.Sync.Worker;

/// <summary>
/// Counts the loop's steps started and finished, with a signal per finished step: a test that must show the loop did
/// NOT act on something awaits a step that began after it, instead of sleeping and hoping the loop had its turn.
/// </summary>
internal sealed class LoopSteps
{
    private readonly AwaitableCount completed = new();
    private long started;

    /// <summary>How many steps have begun; a step numbered above it starts after this read.</summary>
    public long Started => Interlocked.Read(ref started);

    /// <summary>How many steps have finished; step number <c>Completed + 1</c> is the next one to finish.</summary>
    public long Completed => completed.Value;

    public void Start() => Interlocked.Increment(ref started);

    public void Complete() => completed.Increment();

    /// <summary>Completes when step number <paramref name="step"/> (1-based) has finished.</summary>
    public Task WhenCompletedAsync(long step) => completed.WhenReachesAsync(step);
}
