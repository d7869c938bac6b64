using OfflineSidecar.Core.Signals;

namespace OfflineSidecar.Core.Tests.Signals;

public sealed class AwaitableCountTests
{
    [Fact]
    public async Task A_wait_completes_when_the_count_reaches_its_target_and_not_before()
    {
        var count = new AwaitableCount();
        var waiting = count.WhenReachesAsync(2);

        count.Increment();
        Assert.False(waiting.IsCompleted);
        count.Increment();

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2L, count.Value);
    }

    [Fact]
    public async Task A_target_already_reached_completes_at_once()
    {
        var count = new AwaitableCount();
        count.Increment();

        Assert.True(count.WhenReachesAsync(1).IsCompletedSuccessfully);
        await count.WhenReachesAsync(0);
    }

    [Fact]
    public async Task Increments_from_many_threads_wake_every_waiter()
    {
        var count = new AwaitableCount();
        var waiters = Enumerable.Range(1, 50).Select(target => count.WhenReachesAsync(target)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(count.Increment)));

        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(50L, count.Value);
    }

    [Fact]
    public async Task A_cancelled_wait_ends_with_the_cancellation()
    {
        var count = new AwaitableCount();
        using var cancel = new CancellationTokenSource();
        var waiting = count.WhenReachesAsync(1, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
