using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Cli;

/// <summary><c>status --json</c>. <paramref name="ClockSkewMs"/>: how far this machine's clock is ahead of the server's
/// (negative: behind) as the sidecar last estimated it; null when it never did.</summary>
internal sealed record StatusReport(string WorkspaceId, string DatabasePath, QueueCountsDto Counts, long? ClockSkewMs);
