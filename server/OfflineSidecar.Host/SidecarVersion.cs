using System.Reflection;

namespace OfflineSidecar.Host;

internal static class SidecarVersion
{
    /// <summary>The informational version without build metadata (<c>0.1.0</c>).</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        string? version = typeof(SidecarVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return version?.Split('+')[0] ?? "0.0.0";
    }
}
