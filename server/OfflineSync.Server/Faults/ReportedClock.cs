using System.Globalization;

namespace OfflineSync.Server.Faults;

/// <summary>
/// The time the server tells clients: its own clock shifted by the <c>clockOffsetMs</c> fault, so tests can show a
/// client whose clock disagrees with the server's without changing either machine's clock. What the server stores
/// (idempotency expiry, change rows) keeps its real clock.
/// </summary>
internal sealed class ReportedClock(TimeProvider time, FaultState faults)
{
    public DateTimeOffset Now => time.GetUtcNow().AddMilliseconds(faults.Current.ClockOffsetMs);

    /// <summary>Stamps every answer's <c>Date</c> header with <see cref="Now"/> (Kestrel keeps a header the app set).</summary>
    public Task StampDateHeaderAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Date = Now.ToString("r", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
