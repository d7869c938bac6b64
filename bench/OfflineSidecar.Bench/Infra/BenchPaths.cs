namespace OfflineSidecar.Bench.Infra;

/// <summary>Where the published binaries are and where results go.</summary>
internal static class BenchPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>BENCH_SIDECAR (run.sh points it at a snapshot copy of dist/, so a parallel rebuild cannot pull it away mid-run).</summary>
    public static string Sidecar => Environment.GetEnvironmentVariable("BENCH_SIDECAR") is { Length: > 0 } path
        ? path
        : Path.Combine(RepoRoot, "dist", "sidecar", "offline-sidecar");

    public static string SyncServer => Environment.GetEnvironmentVariable("BENCH_SYNC_SERVER") is { Length: > 0 } path
        ? path
        : Path.Combine(RepoRoot, "dist", "sync-server", "offline-sync-server");

    public static string ResultsDirectory => Path.Combine(RepoRoot, "test-results", "bench");

    private static string FindRepoRoot()
    {
        if (Environment.GetEnvironmentVariable("BENCH_REPO") is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OfflineSidecar.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
