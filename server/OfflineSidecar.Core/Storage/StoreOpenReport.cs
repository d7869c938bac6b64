using OfflineSidecar.Core.Storage.Salvage;

namespace OfflineSidecar.Core.Storage;

/// <summary>What happened while opening the database, so the host can tell the user about a recovery.</summary>
/// <param name="Salvage">When the file was damaged: what was put back in the queue from it.</param>
/// <param name="SalvageProblem">When the file was damaged and its salvage itself failed: why.</param>
public sealed record StoreOpenReport(
    string DatabasePath,
    bool Created,
    bool RecoveredFromCorruption,
    string? MovedAsidePath,
    string? CorruptionReason,
    int SchemaVersion,
    SalvageReport? Salvage = null,
    string? SalvageProblem = null);
