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

    /// <summary>
    /// Gone: named by another process of this machine that no longer runs. Anything else (another machine, a name of
    /// another form, this process, a pid that runs again) is not known to be gone, so its claim stands until it expires.
    /// </summary>
    public static bool IsGone(string name)
    {
        var parts = name.Split(':');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || pid == Environment.ProcessId)
        {
            return false;
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
