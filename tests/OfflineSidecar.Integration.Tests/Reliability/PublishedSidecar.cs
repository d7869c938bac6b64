using System.Globalization;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// The sidecar the reliability runs kill: what ships (dist/sidecar/offline-sidecar, NativeAOT; scripts/test.sh and
/// bench/reliability.sh publish it first) when it is there, else the build next to the tests. RELIABILITY_SIDECAR names
/// another binary.
/// </summary>
internal static class PublishedSidecar
{
    public static string? Executable { get; } = Find();

    public static string Describe() => Executable is null
        ? "offline-sidecar.dll (JIT; dist/sidecar/offline-sidecar not built)"
        : string.Create(CultureInfo.InvariantCulture, $"{Executable} (built {File.GetLastWriteTimeUtc(Executable):u})");

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("RELIABILITY_SIDECAR") is { Length: > 0 } named)
        {
            return named;
        }

        var dist = Path.Combine(RepoPaths.Root, "dist", "sidecar", OperatingSystem.IsWindows() ? "offline-sidecar.exe" : "offline-sidecar");
        return File.Exists(dist) ? dist : null;
    }
}
