namespace OfflineSidecar.Host.Cli;

/// <summary><c>accounts --json</c>: one row per partition of the store.</summary>
internal sealed record AccountsReport(string DatabasePath, IReadOnlyList<AccountRow> Partitions);

internal sealed record AccountRow(
    string Partition, string WorkspaceId, string Server, string? AccountId, DateTimeOffset? UsedAt,
    long UnfinishedOperations, long Operations, long Documents, long DocumentBytes);
