namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>
/// Polls a condition in real time with a generous deadline; tests never assert on how fast it became true. A poll, not
/// a signal, because what these tests wait on is mostly another process's answer to a request, a file on disk or a
/// server's counters, none of which announces itself.
/// </summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string because, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeoutSeconds} s waiting: {because}");
            }

            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string because, int timeoutSeconds = 60) =>
        UntilAsync(() => Task.FromResult(condition()), because, timeoutSeconds);
}
