namespace OfflineSidecar.Core.Storage;

/// <summary>What happened while opening the database, so the host can tell the user about a recovery.</summary>
public sealed record StoreOpenReport(
    string DatabasePath,
    bool Created,
    bool RecoveredFromCorruption,
    string? MovedAsidePath,
    string? CorruptionReason,
    int SchemaVersion);
