using System.Globalization;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// A process's resident set (VmRSS in /proc/&lt;pid&gt;/status) and its anonymous part (RssAnon: the heaps, where a leak
/// shows; the rest is mapped files), read once a second while a run goes on.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int pid;
    private readonly CancellationTokenSource stop = new();
    private readonly List<(long Rss, long Anonymous)> samples = [];
    private readonly Task loop;

    public RssSampler(int pid)
    {
        this.pid = pid;
        loop = Task.Run(SampleAsync);
    }

    /// <summary>Kilobytes, oldest first.</summary>
    public IReadOnlyList<(long Rss, long Anonymous)> Samples
    {
        get
        {
            lock (samples)
            {
                return [.. samples];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    public static (long Rss, long Anonymous)? ReadKilobytes(int pid)
    {
        try
        {
            var lines = File.ReadAllLines($"/proc/{pid}/status");
            return Field(lines, "VmRSS:") is { } rss && Field(lines, "RssAnon:") is { } anonymous ? (rss, anonymous) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long? Field(string[] lines, string name) =>
        lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : null;

    private async Task SampleAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            if (ReadKilobytes(pid) is { } rss)
            {
                lock (samples)
                {
                    samples.Add(rss);
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
