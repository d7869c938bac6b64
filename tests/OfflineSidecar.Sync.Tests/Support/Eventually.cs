using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>Waits (in real time, test side only) for the engine's background loop to reach a condition.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail("Timed out waiting: " + because);
            }

            await Task.Delay(5);
        }
    }

    /// <summary>
    /// For negative checks: runs <paramref name="poke"/> (a wake, a clock move) and returns once the engine's loop has
    /// finished a whole step that began after it, so whatever the loop would do about the poke, it has done.
    /// </summary>
    public static async Task LoopSettledAfterAsync(SyncEngine engine, Action poke)
    {
        var after = engine.StepsStarted;
        poke();
        await engine.WhenStepCompletedAsync(after + 1).WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Returns once the step the loop is in (if any) has finished.</summary>
    public static Task StepInProgressDoneAsync(SyncEngine engine) =>
        engine.WhenStepCompletedAsync(engine.StepsStarted).WaitAsync(TimeSpan.FromSeconds(5));
}
