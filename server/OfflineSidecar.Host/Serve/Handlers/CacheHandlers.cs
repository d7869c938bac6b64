using OfflineSidecar.Core.Cache;
using OfflineSidecar.Host.Errors;
using OfflineSidecar.Host.Mapping;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Lifecycle;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Serve.Handlers;

/// <summary>offlineSync/cache/* and offlineSync/pull: the documents of the op cache, as the editor's file system sees them.</summary>
internal sealed class CacheHandlers(ISessionSource sessions)
{
    public void Register(JsonRpcConnection connection)
    {
        connection.AddRequestHandler(OfflineSyncMethods.CacheGet, GetAsync);
        connection.AddRequestHandler(OfflineSyncMethods.CacheStat, StatAsync);
        connection.AddRequestHandler(OfflineSyncMethods.CacheList, ListAsync);
        connection.AddRequestHandler(OfflineSyncMethods.CachePin, PinAsync);
        connection.AddRequestHandler(OfflineSyncMethods.CacheOpened, OpenedAsync);
        connection.AddRequestHandler(OfflineSyncMethods.CacheUnsynced, UnsyncedAsync);
        connection.AddRequestHandler(OfflineSyncMethods.Pull, PullAsync);
    }

    private SidecarSession Session => sessions.Session;

    private async Task<CacheEntryDto> GetAsync(CacheEntityParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = Session;
        CacheEntry entry = await session.Documents.ReadAsync(p.EntityId, cancellationToken);
        return ProtocolMapper.ToDto(entry, await session.IsCacheStaleAsync(cancellationToken));
    }

    private async Task<CacheStatResult> StatAsync(CacheEntityParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = Session;
        if (await session.Cache.StatAsync(p.EntityId, cancellationToken) is { } entry)
        {
            return new CacheStatResult(CacheStatResult.File, ProtocolMapper.ToDto(entry, await session.IsCacheStaleAsync(cancellationToken)));
        }

        return await session.Cache.IsFolderAsync(p.EntityId, cancellationToken)
            ? new CacheStatResult(CacheStatResult.Directory, null)
            : throw new JsonRpcException(SidecarErrorCodes.NotFound, $"not found: no document or folder {p.EntityId}");
    }

    private async Task<CacheListResult> ListAsync(CacheListParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = Session;
        CachePage page = await session.Cache.ListAsync(
            new CacheListQuery(p.Prefix, p.Delimiter, p.Cursor, p.Limit ?? CacheListQuery.DefaultLimit), cancellationToken);
        bool stale = await session.IsCacheStaleAsync(cancellationToken);
        return new CacheListResult(page.Items.Select(entry => ProtocolMapper.ToDto(entry, stale)).ToArray(), page.Folders, page.NextCursor, page.Total);
    }

    private async Task<CountResult> PinAsync(CachePinParams p, CancellationToken cancellationToken) =>
        new(await Session.Cache.PinAsync(p.EntityIds, p.Pinned, cancellationToken));

    private async Task<EmptyResult> OpenedAsync(CacheOpenedParams p, CancellationToken cancellationToken)
    {
        await Session.Cache.SetOpenAsync(p.EntityIds, p.Open, cancellationToken);
        return EmptyResult.Value;
    }

    private async Task<CacheUnsyncedResult> UnsyncedAsync(CacheUnsyncedParams p, CancellationToken cancellationToken)
    {
        int limit = p.Limit ?? CacheUnsyncedParams.DefaultLimit;
        if (limit is < 1 or > CacheUnsyncedParams.MaxLimit)
        {
            throw JsonRpcException.InvalidParams("limit", $"must be between 1 and {CacheUnsyncedParams.MaxLimit}");
        }

        UnsyncedList list = await Session.Cache.ListUnsyncedAsync(limit, cancellationToken);
        return new CacheUnsyncedResult(list.Documents.Select(d => new UnsyncedDocumentDto(d.EntityId, d.State, d.OperationId)).ToArray(), list.Truncated);
    }

    private async Task<PullResultDto> PullAsync(EmptyParams p, CancellationToken cancellationToken)
    {
        PullResult result = await Session.Engine.PullAsync(cancellationToken);
        return new PullResultDto(result.Pulled, result.Cursor, result.Complete);
    }
}
