namespace OfflineSidecar.Host.Cli;

/// <summary><c>sync --json</c>: the flush's summary and where each attempted operation ended up.</summary>
internal sealed record SyncReport(bool Completed, string? Message, int Applied, int Failed, int Conflicts, IReadOnlyList<SyncOperationOutcome> Operations);
