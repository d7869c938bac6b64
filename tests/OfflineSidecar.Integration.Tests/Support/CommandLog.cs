namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>The server's GET /admin/command-log answer.</summary>
internal sealed record CommandLog(List<CommandLogEntry> Requests, long Dropped);

internal sealed record CommandLogEntry(
    string ClientId, string WorkspaceId, int Commands, int Applied, DateTimeOffset ReceivedAt, DateTimeOffset EndedAt, string Outcome);
