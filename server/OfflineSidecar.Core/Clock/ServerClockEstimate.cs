namespace OfflineSidecar.Core.Clock;

/// <summary>
/// How far the server's clock is from this machine's: server time = local wall time + <paramref name="Offset"/>.
/// <paramref name="RoundTrip"/> bounds its error (half of it, plus a second for a <c>Date</c> header);
/// <paramref name="MeasuredAt"/> is this machine's wall time when it was measured.
/// </summary>
public sealed record ServerClockEstimate(TimeSpan Offset, TimeSpan RoundTrip, DateTimeOffset MeasuredAt)
{
    /// <summary>How far this machine's clock is ahead of the server's (negative: behind). What users are shown.</summary>
    public TimeSpan LocalAhead => -Offset;

    public static ServerClockEstimate From(ServerClockSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return new ServerClockEstimate(sample.Offset, sample.RoundTrip, sample.SentAt);
    }
}
