using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <param name="Next">Where the next read starts: after the page's last change, in the workspace's current epoch;
/// the requested starting point itself when the page is empty.</param>
/// <param name="Remaining">When counted: the workspace's change rows after the requested starting point, this
/// page's included.</param>
internal sealed record ChangePage(IReadOnlyList<ChangeRecord> Changes, FeedPosition Next, bool HasMore, long? Remaining);
