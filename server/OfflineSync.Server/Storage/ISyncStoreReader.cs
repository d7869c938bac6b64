using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <summary>The reads the endpoints need; a storage failure throws a <see cref="System.Data.Common.DbException"/>.</summary>
internal interface ISyncStoreReader
{
    /// <param name="since">The request's cursor; null reads from the beginning, which no horizon refuses.</param>
    /// <param name="horizon">The workspace's feed horizon, from the same snapshot as the page.</param>
    /// <returns>The page, or null when <paramref name="horizon"/> expires <paramref name="since"/> or shows that it
    /// was never issued.</returns>
    ChangePage? ReadChanges(string workspaceId, FeedPosition? since, int limit, bool countRemaining, out FeedHorizon horizon);

    /// <returns>The entity, or null when it was never written.</returns>
    EntityState? ReadEntity(string workspaceId, string entityId);

    /// <returns>The blob's content, or null when this workspace holds none with that hash.</returns>
    byte[]? ReadBlob(string workspaceId, string sha256);

    /// <summary>The size of a held blob without reading its content.</summary>
    long? BlobSize(string workspaceId, string sha256);

    /// <returns>Those of <paramref name="hashes"/> this workspace holds no blob for.</returns>
    HashSet<string> MissingBlobs(string workspaceId, IEnumerable<string> hashes);
}
