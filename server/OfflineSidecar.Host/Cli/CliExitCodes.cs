namespace OfflineSidecar.Host.Cli;

public static class CliExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary><c>sync</c>: the flush ran but some operation failed or conflicted (or it could not finish).</summary>
    public const int SyncProblems = 3;

    /// <summary><c>doctor</c>: the store was examined and needs attention (damaged, unreadable, counts drifted, too open).</summary>
    public const int StoreNeedsAttention = 4;
}
