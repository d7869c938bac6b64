namespace OfflineSidecar.Host.Protocol.Sync;

/// <param name="Cleared">What was deleted; null when the data was kept for the account's next sign-in.</param>
public sealed record SignOutResult(ClearedDataDto? Cleared);

/// <param name="Operations">Queued operations deleted (unsynced ones included).</param>
/// <param name="Documents">Cached documents deleted.</param>
/// <param name="FileBytesBefore">The database file (and its WAL) before.</param>
/// <param name="FileBytesAfter">After the vacuum.</param>
public sealed record ClearedDataDto(long Operations, long Documents, long FileBytesBefore, long FileBytesAfter);
