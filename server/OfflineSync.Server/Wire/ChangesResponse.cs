namespace OfflineSync.Server.Wire;

/// <param name="Remaining">Only when the request asked for it with <c>count=true</c>; left out otherwise.</param>
internal sealed record ChangesResponse(IReadOnlyList<ChangeRecord> Changes, string Cursor, bool HasMore, long? Remaining);
