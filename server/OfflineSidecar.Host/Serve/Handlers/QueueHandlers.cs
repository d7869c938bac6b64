using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Errors;
using OfflineSidecar.Host.Mapping;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Lifecycle;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Sync;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Serve.Handlers;

/// <summary>
/// offlineSync/* queue methods. Each calls into the store before its first await, so the store sees requests in
/// the order the client sent them (and keeps that order per entity for enqueues that first copy attachments).
/// </summary>
internal sealed class QueueHandlers(ISessionSource sessions)
{
    public void Register(JsonRpcConnection connection)
    {
        connection.AddRequestHandler(OfflineSyncMethods.Enqueue, EnqueueAsync);
        connection.AddRequestHandler(OfflineSyncMethods.GetStatus, GetStatusAsync);
        connection.AddRequestHandler(OfflineSyncMethods.ListOperations, ListAsync);
        connection.AddRequestHandler(OfflineSyncMethods.GetOperation, GetAsync);
        connection.AddRequestHandler(OfflineSyncMethods.Retry, RetryAsync);
        connection.AddRequestHandler(OfflineSyncMethods.Discard, DiscardAsync);
        connection.AddRequestHandler(OfflineSyncMethods.UpdateOperation, UpdateAsync);
        connection.AddRequestHandler(OfflineSyncMethods.Prioritize, PrioritizeAsync);
        connection.AddRequestHandler(OfflineSyncMethods.ClearQueue, ClearAsync);
        connection.AddRequestHandler(OfflineSyncMethods.Export, ExportAsync);
        connection.AddRequestHandler(OfflineSyncMethods.Import, ImportAsync);
    }

    private SidecarSession Session => sessions.Session;

    private async Task<EnqueueResultDto> EnqueueAsync(EnqueueParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = Session;
        EnqueueResult result = await session.Queue.EnqueueAsync(new EnqueueRequest
        {
            Type = p.Type,
            PayloadJson = p.Payload.Text,
            EntityId = p.EntityId,
            DedupKey = p.DedupKey,
            IdempotencyKey = p.IdempotencyKey,
            ExpectedVersion = p.ExpectedVersion,
            Priority = p.Priority ?? OperationPriority.Normal,
            ExpiresAt = p.ExpiresAt,
            TimeToLive = TimeToLive(p.TtlSeconds),
            ClientTraceId = p.ClientTraceId,
            Attachments = p.Attachments?.Select(static a => new AttachmentSource(a.Path, a.Name, a.MediaType)).ToArray(),
        }, cancellationToken);
        session.Engine.Wake();
        return new EnqueueResultDto(result.Id, result.Status, result.Coalesced);
    }

    private static TimeSpan? TimeToLive(double? seconds) => seconds switch
    {
        null => null,
        > 0 and <= EnqueueParams.MaxTtlSeconds => TimeSpan.FromSeconds(seconds.Value),
        _ => throw new QueueException(QueueErrorKind.InvalidArgument, $"ttlSeconds: must be more than 0 and at most {EnqueueParams.MaxTtlSeconds:0} (ten years)"),
    };

    private Task<SyncStatus> GetStatusAsync(EmptyParams p, CancellationToken cancellationToken) =>
        Session.GetStatusAsync(cancellationToken);

    private async Task<ListOperationsResult> ListAsync(ListOperationsParams p, CancellationToken cancellationToken)
    {
        int limit = p.Limit ?? ListOperationsParams.DefaultLimit;
        if (limit is < 1 or > ListOperationsParams.MaxLimit)
        {
            throw JsonRpcException.InvalidParams("limit", $"must be between 1 and {ListOperationsParams.MaxLimit}");
        }

        OperationPage page = await Session.Queue.ListAsync(new ListQuery(p.Statuses, p.EntityId, p.Cursor, limit), cancellationToken);
        return ProtocolMapper.ToDto(page);
    }

    private async Task<OperationDetailsDto> GetAsync(OperationIdParams p, CancellationToken cancellationToken)
    {
        OperationDetails details = await Session.Queue.GetAsync(p.Id, cancellationToken)
            ?? throw new JsonRpcException(SidecarErrorCodes.NotFound, $"not found: no operation {p.Id}");
        return ProtocolMapper.ToDto(details);
    }

    private async Task<CountResult> RetryAsync(RetryParams p, CancellationToken cancellationToken)
    {
        bool allFailed = p.AllFailed ?? false;
        if (p.Ids is null && !allFailed)
        {
            throw JsonRpcException.InvalidParams("ids", "required unless allFailed is true");
        }

        SidecarSession session = Session;
        int count = await session.Queue.RetryAsync(p.Ids, allFailed, cancellationToken);
        session.Engine.Wake();
        return new CountResult(count);
    }

    private async Task<CountResult> DiscardAsync(DiscardParams p, CancellationToken cancellationToken) =>
        new(await Session.Queue.DiscardAsync(p.Ids, cancellationToken));

    private async Task<OperationDto> UpdateAsync(UpdateOperationParams p, CancellationToken cancellationToken) =>
        ProtocolMapper.ToDto(await Session.Queue.UpdatePayloadAsync(p.Id, p.Payload.Text, cancellationToken));

    private async Task<OperationDto> PrioritizeAsync(OperationIdParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = Session;
        Operation operation = await session.Queue.PrioritizeAsync(p.Id, cancellationToken);
        session.Engine.Wake();
        return ProtocolMapper.ToDto(operation);
    }

    private async Task<CountResult> ClearAsync(ClearQueueParams p, CancellationToken cancellationToken) =>
        new(await Session.Queue.ClearAsync(p.Statuses, cancellationToken));

    private async Task<CountResult> ExportAsync(PathParams p, CancellationToken cancellationToken) =>
        new(await Session.Queue.ExportAsync(AbsolutePath(p.Path), cancellationToken));

    private async Task<ImportResultDto> ImportAsync(PathParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = Session;
        ImportResult result = await session.Queue.ImportAsync(AbsolutePath(p.Path), cancellationToken);
        session.Engine.Wake();
        return new ImportResultDto(result.Imported, result.Skipped);
    }

    // The sidecar's working directory means nothing to the editor, so relative paths would land anywhere.
    private static string AbsolutePath(string path) =>
        Path.IsPathFullyQualified(path) ? path : throw JsonRpcException.InvalidParams("path", "must be an absolute path");
}
