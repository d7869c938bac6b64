using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <param name="LastSequence">Sequence number of the last change in the page, or the requested
/// starting point when the page is empty.</param>
internal sealed record ChangePage(IReadOnlyList<ChangeRecord> Changes, long LastSequence, bool HasMore);
