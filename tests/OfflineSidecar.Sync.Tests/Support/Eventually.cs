using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>Waits for the engine's background loop to finish steps (for conditions, see <see cref="EngineHarness.UntilAsync"/>).</summary>
internal static class Eventually
{
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
