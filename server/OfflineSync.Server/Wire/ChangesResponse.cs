namespace OfflineSync.Server.Wire;

internal sealed record ChangesResponse(IReadOnlyList<ChangeRecord> Changes, string Cursor, bool HasMore);
