namespace OfflineSync.Server.Wire;

/// <summary>One command batch the server read: who sent it, when it arrived and when its handling ended, and how.</summary>
/// <param name="Outcome"><c>answered</c>, <c>dropped</c> (the dropAfterApply fault) or <c>storageFailed</c> (a 503).</param>
internal sealed record CommandRequestRecord(
    string ClientId, string WorkspaceId, int Commands, int Applied, DateTimeOffset ReceivedAt, DateTimeOffset EndedAt, string Outcome);
