using System.Globalization;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>A process's resident set (VmRSS in /proc/&lt;pid&gt;/status), read once a second while a run goes on.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int pid;
    private readonly CancellationTokenSource stop = new();
    private readonly List<long> samples = [];
    private readonly Task loop;

    public RssSampler(int pid)
    {
        this.pid = pid;
        loop = Task.Run(SampleAsync);
    }

    /// <summary>Kilobytes, oldest first.</summary>
    public IReadOnlyList<long> Samples
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

    public static long? ReadKilobytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

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
