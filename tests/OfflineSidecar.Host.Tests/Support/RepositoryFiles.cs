namespace OfflineSidecar.Host.Tests.Support;

internal static class RepositoryFiles
{
    /// <summary>Walks up from the test output to the folder holding docs/protocol.md.</summary>
    public static string Path(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "docs", "protocol.md");
            if (File.Exists(candidate))
            {
                return System.IO.Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException("repository root (docs/protocol.md) not found above " + AppContext.BaseDirectory);
    }
}
