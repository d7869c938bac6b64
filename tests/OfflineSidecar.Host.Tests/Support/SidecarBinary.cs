using System.Diagnostics;

namespace OfflineSidecar.Host.Tests.Support;

/// <summary>The built <c>offline-sidecar</c>: the test project references the host, so its output sits next to the tests.</summary>
internal static class SidecarBinary
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        string apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "offline-sidecar.exe" : "offline-sidecar");
        string dll = Path.Combine(AppContext.BaseDirectory, "offline-sidecar.dll");
        Assert.True(File.Exists(dll), $"offline-sidecar.dll not found next to the tests in {AppContext.BaseDirectory}");

        ProcessStartInfo info = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }
}
