namespace OfflineSidecar.Core.Sync;

/// <summary>
/// Exponential backoff with full jitter: the n-th wait is drawn from [floor, min(cap, base·2^(n-1))], where the floor
/// (a tenth of base) keeps an unlucky draw of zero from retrying at once. A server's Retry-After is a lower bound
/// that wins even over the cap: the server knows when it will take work again.
/// </summary>
public sealed class RetrySchedule
{
    private readonly IRandomSource random;

    public RetrySchedule(TimeSpan baseDelay, TimeSpan cap, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        BaseDelay = baseDelay;
        Cap = cap < baseDelay ? baseDelay : cap;
        this.random = random;
    }

    public TimeSpan BaseDelay { get; }

    public TimeSpan Cap { get; }

    /// <param name="attempt">1 for the wait after the first failed attempt.</param>
    /// <param name="retryAfter">The server's Retry-After, when it sent one.</param>
    public TimeSpan NextDelay(int attempt, TimeSpan? retryAfter = null)
    {
        var ceiling = Ceiling(attempt);
        var floor = BaseDelay / 10;
        var drawn = floor + ((ceiling - floor) * random.NextDouble());
        return retryAfter is { } after && after > drawn ? after : drawn;
    }

    /// <summary>The largest wait <see cref="NextDelay"/> can draw for this attempt (without Retry-After).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 62);
        var ticks = BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= Cap.Ticks ? Cap : TimeSpan.FromTicks((long)ticks);
    }
}
