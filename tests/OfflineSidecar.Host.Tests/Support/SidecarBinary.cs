using System.Diagnostics;

namespace OfflineSidecar.Host.Tests.Support;

/// <summary>
/// The <c>offline-sidecar</c> the process tests run: the published one named by <c>OFFLINE_SIDECAR_BINARY</c>
/// (scripts/test.sh sets it to dist/'s NativeAOT build, so the suite tests what ships), else the JIT build next to the
/// tests (the test project references the host).
/// </summary>
internal static class SidecarBinary
{
    public const string Variable = "OFFLINE_SIDECAR_BINARY";

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        ProcessStartInfo info;
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } published)
        {
            Assert.True(File.Exists(published), $"{Variable}={published}: no such file");
            info = new ProcessStartInfo(published);
        }
        else
        {
            string apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "offline-sidecar.exe" : "offline-sidecar");
            string dll = Path.Combine(AppContext.BaseDirectory, "offline-sidecar.dll");
            Assert.True(File.Exists(dll), $"offline-sidecar.dll not found next to the tests in {AppContext.BaseDirectory}");
            info = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        }

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
