using System.Globalization;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <param name="Memory">The sidecar's resident set and its anonymous part, one sample a second from its start to the end of the drain.</param>
internal sealed record FaultSoakResult(
    TimeSpan Soaked, int ServerRestarts, LedgerVerdict Verdict, int AppliedDuringSoak, TimeSpan Drain, IReadOnlyList<(long Rss, long Anonymous)> Memory, TimeSpan Wall)
{
    private IReadOnlyList<long> RssKilobytes => [.. Memory.Select(m => m.Rss)];

    /// <summary>After the first tenth of the samples (start-up, first pages of SQLite cache and JIT-free warm-up).</summary>
    public long WarmRss => RssKilobytes[Math.Min(RssKilobytes.Count - 1, RssKilobytes.Count / 10)];

    public long PeakRss => RssKilobytes.Max();

    public long EndRss => RssKilobytes[^1];

    /// <summary>From the middle of the run to its end: a leak grows with the work done, so as much as in the first half;
    /// caches (SQLite's page cache, 16 MB a connection, the GC's heap) fill early and then stay.</summary>
    public long SecondHalfGrowth => EndRss - RssKilobytes[RssKilobytes.Count / 2];

    public void Report(ReliabilityReport report, int seed)
    {
        report.Figure("sidecar", PublishedSidecar.Describe());
        report.Figure("seed", seed);
        report.Figure("soak (faults on, enqueues throughout)", string.Create(CultureInfo.InvariantCulture, $"{Soaked.TotalSeconds:0} s"));
        report.Figure("faults", "30 % 503, 30 % drop after apply, 10 % 429 (Retry-After 1 s), latency 0–2 s re-drawn every 2 s");
        report.Figure("server restarts (kill -9, same port and data dir)", ServerRestarts);
        report.Figure("operations sent / acknowledged", $"{Verdict.Sent} / {Verdict.Acknowledged}");
        report.Figure("applied during the soak / in the drain after it", $"{AppliedDuringSoak} / {Verdict.Applied - AppliedDuringSoak}");
        report.Figure("drain after the soak (faults off)", string.Create(CultureInfo.InvariantCulture, $"{Drain.TotalSeconds:0.0} s"));
        report.Figure("lost / doubled / out of order / unknown", $"{Verdict.Lost} / {Verdict.Doubled} / {Verdict.OutOfOrder} / {Verdict.Unknown}");
        report.Figure("sidecar RSS first / warm / peak / end", string.Create(
            CultureInfo.InvariantCulture, $"{Mb(RssKilobytes[0])} / {Mb(WarmRss)} / {Mb(PeakRss)} / {Mb(EndRss)} MB ({RssKilobytes.Count} samples)"));
        report.Figure("sidecar RSS at 10 / 25 / 50 / 75 / 100 % of the run", string.Join(" / ", new[] { 0.1, 0.25, 0.5, 0.75, 1.0 }.Select(At(m => m.Rss))) + " MB");
        report.Figure("… of it anonymous (heaps) at the same points", string.Join(" / ", new[] { 0.1, 0.25, 0.5, 0.75, 1.0 }.Select(At(m => m.Anonymous))) + " MB");
        report.Figure("wall time", string.Create(CultureInfo.InvariantCulture, $"{Wall.TotalSeconds:0} s"));
        report.Save();
    }

    private Func<double, string> At(Func<(long Rss, long Anonymous), long> part) =>
        share => Mb(part(Memory[Math.Min(Memory.Count - 1, (int)(share * Memory.Count))]));

    private static string Mb(long kilobytes) => (kilobytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
