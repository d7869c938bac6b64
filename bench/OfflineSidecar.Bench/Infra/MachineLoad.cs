using System.Globalization;

namespace OfflineSidecar.Bench.Infra;

/// <summary>The 1-minute load average (from /proc/loadavg), recorded next to every figure.</summary>
internal static class MachineLoad
{
    public static double OneMinute()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
