using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Cache;

/// <summary>
/// The read rule of the op cache: the server's row with the user's unfinished operations of that entity on top. The last
/// unfinished <c>document.put.v1</c> or <c>document.delete.v1</c> decides the content (a delete hides the document); any
/// unfinished operation of the entity decides the state. Pure, so every read path composes the same way.
/// </summary>
public static class DocumentOverlay
{
    /// <summary>The server's row as cached. <see cref="PayloadJson"/> is null when not read or not held (evicted, deleted).</summary>
    public sealed record ServerRow(
        string Type, long Version, bool Deleted, bool Evicted, bool Pinned, long Size, long FetchedAt, long ChangedAt, string? PayloadJson);

    /// <summary>One unfinished operation of the entity, in enqueue order. Size is that of its payload as the editor sees it.</summary>
    public sealed record Work(string OperationId, string Type, OperationStatus Status, long ContentAt, long Size, string? PayloadJson);

    /// <returns>What a read shows, or null when nothing is there (never on the server and not created here, or deleted).</returns>
    public static CacheEntry? Compose(string entityId, ServerRow? row, IReadOnlyList<Work> work)
    {
        Work? content = null;
        foreach (var item in work)
        {
            if (DocumentTypes.IsDocument(item.Type))
            {
                content = item;
            }
        }

        if (content?.Type == DocumentTypes.Delete)
        {
            return null;
        }

        var onServer = row is { Deleted: false };
        if (content is null && !onServer)
        {
            return null;
        }

        return new CacheEntry
        {
            EntityId = entityId,
            Type = content?.Type ?? row!.Type,
            Version = row?.Version ?? 0,
            State = StateOf(work, onServer),
            PayloadJson = content is not null ? content.PayloadJson : row!.PayloadJson,
            Size = content?.Size ?? row!.Size,
            ModifiedAt = content?.ContentAt ?? row!.ChangedAt,
            FetchedAt = row is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.FetchedAt),
            Evicted = content is null && row!.Evicted,
            Pinned = row?.Pinned ?? false,
            OperationId = work.Count > 0 ? work[^1].OperationId : null,
        };
    }

    /// <summary>Attention first (conflict, failed), then "not on the server yet", then where the work is.</summary>
    public static CacheState StateOf(IReadOnlyList<Work> work, bool onServer)
    {
        if (work.Count == 0)
        {
            return CacheState.Synced;
        }

        var syncing = false;
        var failed = false;
        foreach (var item in work)
        {
            switch (item.Status)
            {
                case OperationStatus.Conflict:
                    return CacheState.Conflict;
                case OperationStatus.Failed:
                    failed = true;
                    break;
                case OperationStatus.Syncing:
                    syncing = true;
                    break;
            }
        }

        if (failed)
        {
            return CacheState.Failed;
        }

        if (!onServer)
        {
            return CacheState.LocalOnly;
        }

        return syncing ? CacheState.Syncing : CacheState.Pending;
    }
}
