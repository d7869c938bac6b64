namespace OfflineSidecar.Core.Sync;

/// <summary>Something the user may want to hear about. One FlushCompleted summarises a flush.</summary>
public sealed record SyncEvent(
    SyncEventKind Kind,
    IReadOnlyList<string> Ids,
    string? Message,
    int Total = 0,
    int Applied = 0,
    int Failed = 0,
    int Conflicts = 0);
