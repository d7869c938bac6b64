namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>Finds the built executables next to this test run (same configuration), built first by the project references.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, read from this assembly's own output path.</summary>
    public static string Configuration { get; } = FindConfiguration();

    public static string ServerDll => Built("server/OfflineSync.Server", "offline-sync-server.dll");

    public static string SidecarDll => Built("server/OfflineSidecar.Host", "offline-sidecar.dll");

    /// <summary>
    /// How to run the sidecar: the published binary <c>OFFLINE_SIDECAR_BINARY</c> names (scripts/test.sh: dist/'s
    /// NativeAOT build, what ships), else the JIT build of this configuration under dotnet.
    /// </summary>
    public static System.Diagnostics.ProcessStartInfo SidecarStartInfo()
    {
        if (Environment.GetEnvironmentVariable("OFFLINE_SIDECAR_BINARY") is { Length: > 0 } published)
        {
            return new System.Diagnostics.ProcessStartInfo(published);
        }

        var info = new System.Diagnostics.ProcessStartInfo("dotnet");
        info.ArgumentList.Add(SidecarDll);
        return info;
    }

    private static string Built(string project, string file)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{file} is not built; build the integration test project first", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OfflineSidecar.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OfflineSidecar.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindConfiguration()
    {
        var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var bin = Array.LastIndexOf(parts, "bin");
        return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Debug";
    }
}
