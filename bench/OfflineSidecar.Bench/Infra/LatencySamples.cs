using System.Diagnostics;

namespace OfflineSidecar.Bench.Infra;

/// <summary>Latencies in Stopwatch ticks; percentiles by nearest rank, reported in milliseconds.</summary>
internal sealed class LatencySamples
{
    private readonly List<long> ticks;
    private bool sorted;

    public LatencySamples(int capacity = 1024) => ticks = new List<long>(capacity);

    public int Count => ticks.Count;

    public void Add(long elapsedTicks)
    {
        ticks.Add(elapsedTicks);
        sorted = false;
    }

    public void AddRange(LatencySamples other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ticks.AddRange(other.ticks);
        sorted = false;
    }

    public double PercentileMs(double percentile)
    {
        if (ticks.Count == 0)
        {
            return double.NaN;
        }

        if (!sorted)
        {
            ticks.Sort();
            sorted = true;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * ticks.Count) - 1;
        return ToMs(ticks[Math.Clamp(rank, 0, ticks.Count - 1)]);
    }

    public double MeanMs() => ticks.Count == 0 ? double.NaN : ToMs((long)ticks.Average());

    public static double ToMs(long elapsedTicks) => elapsedTicks * 1000.0 / Stopwatch.Frequency;
}
