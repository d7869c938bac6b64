using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Cli;

/// <summary><c>status --json</c>.</summary>
internal sealed record StatusReport(string WorkspaceId, string DatabasePath, QueueCountsDto Counts);
