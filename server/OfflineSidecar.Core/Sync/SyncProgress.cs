namespace OfflineSidecar.Core.Sync;

public enum SyncProgressKind
{
    Begin,
    Report,
    End,
}

/// <summary>Work-done progress of one flush; the host turns it into LSP $/progress.</summary>
public sealed record SyncProgress(string FlushId, SyncProgressKind Kind, string Message, int Done, int Total);
