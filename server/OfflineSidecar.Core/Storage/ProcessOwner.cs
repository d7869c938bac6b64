using System.Diagnostics;
using System.Globalization;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Names one process's claims in the shared store (<c>machine:pid:guid</c>) and tells whether the process behind a
/// name is gone, so its claims can be dropped without waiting for it to say goodbye.
/// </summary>
internal static class ProcessOwner
{
    public static string NewName() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    /// <summary>Gone: named on this machine by a process that no longer runs (or an earlier one with our pid).</summary>
    public static bool IsGone(string name, string self)
    {
        var parts = name.Split(':');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return name != self;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
