namespace OfflineSidecar.Core.Cache;

/// <param name="Truncated">More operations were unfinished than were read.</param>
public sealed record UnsyncedList(IReadOnlyList<UnsyncedDocument> Documents, bool Truncated);
