using System.Diagnostics;

namespace OfflineSidecar.Bench.Diagnosis;

/// <summary>Total time and count of one stage (thread-safe).</summary>
internal sealed class StageClock
{
    private long ticks;
    private long count;

    public long Count => Interlocked.Read(ref count);

    public TimeSpan Total => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref ticks));

    public async Task<T> TimeAsync<T>(Func<Task<T>> stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await stage();
        }
        finally
        {
            Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref count);
        }
    }

    public async Task TimeAsync(Func<Task> stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        await TimeAsync(async () =>
        {
            await stage();
            return true;
        });
    }
}
