using System.Globalization;

namespace OfflineSidecar.Bench.Infra;

/// <summary>CPU time (user + system) a process has used so far, from /proc/&lt;pid&gt;/stat; -1 when unreadable.</summary>
internal static class ProcessCpu
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.FromSeconds(-1);
        }
    }
}
