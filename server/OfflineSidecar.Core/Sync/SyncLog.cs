namespace OfflineSidecar.Core.Sync;

/// <summary>The host's log sink, made safe to call from the worker: a failing sink loses a line, never the worker.</summary>
internal sealed class SyncLog(Action<SyncLogLevel, string>? sink)
{
    private readonly Action<SyncLogLevel, string> sink = sink ?? ((_, _) => { });

    public void Write(SyncLogLevel level, string message)
    {
        try
        {
            sink(level, message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Logging is best effort; losing a line is better than losing the worker.
        }
    }

    /// <summary>For helpers that take the plain delegate (lease, watcher, pulls).</summary>
    public Action<SyncLogLevel, string> AsAction() => Write;
}
