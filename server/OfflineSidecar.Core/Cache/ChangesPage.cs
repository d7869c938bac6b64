namespace OfflineSidecar.Core.Cache;

/// <param name="Remaining">Changes after the requested cursor, when asked for and the server said.</param>
public sealed record ChangesPage(IReadOnlyList<ChangeRecord> Changes, string Cursor, bool HasMore, long? Remaining);
