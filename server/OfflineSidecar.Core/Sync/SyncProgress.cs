namespace OfflineSidecar.Core.Sync;

public enum SyncProgressKind
{
    Begin,
    Report,
    End,
}

/// <summary>What a progress is about: sending the queue, or pulling the server's changes (which the user may cancel).</summary>
public enum SyncActivity
{
    Flush,
    Pull,
}

/// <summary>Work-done progress of one flush or pull (<paramref name="FlushId"/> names the run); the host turns it into
/// LSP $/progress. <paramref name="Total"/> is 0 when unknown.</summary>
public sealed record SyncProgress(string FlushId, SyncProgressKind Kind, string Message, int Done, int Total, SyncActivity Activity = SyncActivity.Flush);
