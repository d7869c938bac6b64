namespace OfflineSidecar.Host.Cli;

/// <summary>A command line that parsed but makes no sense (exit code 2).</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }

    public UsageException() { }

    public UsageException(string message, Exception inner) : base(message, inner) { }
}
