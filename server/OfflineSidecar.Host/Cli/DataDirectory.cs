namespace OfflineSidecar.Host.Cli;

internal static class DataDirectory
{
    public const string EnvironmentVariable = "OFFLINE_SIDECAR_DATA_DIR";

    /// <summary><c>$OFFLINE_SIDECAR_DATA_DIR</c>, else the per-user data folder (<c>~/.local/share/offline-sidecar</c> on Linux).</summary>
    public static string Default()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(root, "offline-sidecar");
    }
}
