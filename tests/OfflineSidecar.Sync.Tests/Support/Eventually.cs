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

    /// <summary>Gives the loop time to act on something it must NOT act on; used only for negative checks.</summary>
    public static Task QuietAsync(int ms = 150) => Task.Delay(ms);
}
