using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Cache;

/// <summary>
/// Reads a document for the editor: from the cache with the overlay, and when only its stub is left (evicted), fetched
/// from the server on demand; without the server that is a clear "not available offline", never empty content.
/// </summary>
public sealed class DocumentReader(IDocumentCache cache, Func<string, CancellationToken, Task<bool>> fetch)
{
    public async Task<CacheEntry> ReadAsync(string entityId, CancellationToken cancellationToken = default)
    {
        var entry = await cache.GetAsync(entityId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(entityId);
        if (entry.PayloadJson is not null)
        {
            return entry;
        }

        if (!await fetch(entityId, cancellationToken).ConfigureAwait(false))
        {
            throw new QueueException(QueueErrorKind.NotFound, $"not found: {entityId} is no longer on the server");
        }

        entry = await cache.GetAsync(entityId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(entityId);
        return entry.PayloadJson is not null
            ? entry
            : throw new QueueException(QueueErrorKind.NotAvailableOffline, $"{entityId} is not available offline: it was fetched but evicted again at once (raise offlineSync.cache.maxSizeMB)");
    }

    private static QueueException NotFound(string entityId) => new(QueueErrorKind.NotFound, $"not found: no document {entityId}");
}
