namespace OfflineSidecar.Bench.Infra;

/// <summary>A scratch directory on the same disk as the repository (BENCH_TMP, else the system temp), deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string label)
    {
        var root = Environment.GetEnvironmentVariable("BENCH_TMP") is { Length: > 0 } configured ? configured : System.IO.Path.GetTempPath();
        Directory.CreateDirectory(root);
        Path = System.IO.Path.Combine(root, $"offline-bench-{label}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; leaving scratch behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
