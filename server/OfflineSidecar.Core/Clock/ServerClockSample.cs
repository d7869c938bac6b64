namespace OfflineSidecar.Core.Clock;

/// <summary>
/// One reading of the server's clock: what it said (<paramref name="ServerTime"/>, known to within
/// <paramref name="Resolution"/>), when the request left by this machine's wall clock, and how long the round trip took
/// by the monotonic clock (so a wall clock changed meanwhile cannot distort it).
/// </summary>
public sealed record ServerClockSample(DateTimeOffset ServerTime, TimeSpan Resolution, DateTimeOffset SentAt, TimeSpan RoundTrip)
{
    /// <summary>What a <c>Date</c> header can say: whole seconds, so the server's time lies somewhere in the second after it.</summary>
    public static readonly TimeSpan HeaderResolution = TimeSpan.FromMilliseconds(500);

    /// <summary>NTP's midpoint: the server read its clock, on average, halfway through the round trip.</summary>
    public TimeSpan Offset => ServerTime - (SentAt + RoundTrip / 2);

    /// <summary>How far <see cref="Offset"/> can be from the truth: half the round trip plus the reading's own coarseness.</summary>
    public TimeSpan Uncertainty => RoundTrip / 2 + Resolution;

    /// <summary>From a <c>Date</c> header (truncated to the second: the middle of that second is the best guess).</summary>
    public static ServerClockSample FromDateHeader(DateTimeOffset date, DateTimeOffset sentAt, TimeSpan roundTrip) =>
        new(date + HeaderResolution, HeaderResolution, sentAt, roundTrip);
}
