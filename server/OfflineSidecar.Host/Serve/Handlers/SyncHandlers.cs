using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Host.Mapping;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Lifecycle;
using OfflineSidecar.Host.Protocol.Sync;
using OfflineSidecar.Host.Protocol.Window;
using OfflineSidecar.Host.Serve.Notifications;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Serve.Handlers;

/// <summary>offlineSync/* sync methods: each delegates to the session's <see cref="ISyncEngine"/>.</summary>
internal sealed class SyncHandlers(ISessionSource sessions)
{
    public void Register(JsonRpcConnection connection)
    {
        connection.AddRequestHandler(OfflineSyncMethods.SyncNow, SyncNowAsync);
        connection.AddRequestHandler(OfflineSyncMethods.SetWorkOffline, SetWorkOfflineAsync);
        connection.AddRequestHandler(OfflineSyncMethods.SetCredentials, SetCredentialsAsync);
        connection.AddRequestHandler(OfflineSyncMethods.SignOut, SignOutAsync);
        connection.AddRequestHandler(OfflineSyncMethods.ResolveConflict, ResolveConflictAsync);
        connection.AddRequestHandler(OfflineSyncMethods.ResolveAll, ResolveAllAsync);
        connection.AddNotificationHandler(LspMethods.WorkDoneProgressCancel, OnProgressCancelledAsync);
    }

    private async Task<ResolveAllResult> ResolveAllAsync(ResolveAllParams p, CancellationToken cancellationToken)
    {
        BulkResolveResult result = await sessions.Session.Conflicts.ResolveAllAsync(p.Resolution, cancellationToken);
        return new ResolveAllResult(result.Resolved, result.Remaining);
    }

    /// <summary>Only a pull's progress is cancellable; a flush's token is ignored (its operations are mid-delivery).</summary>
    private Task OnProgressCancelledAsync(WorkDoneProgressCancelParams p, CancellationToken cancellationToken)
    {
        if (ProgressForwarder.IsPullToken(p.Token))
        {
            sessions.Session.Engine.CancelPull();
        }

        return Task.CompletedTask;
    }

    private async Task<SyncNowResult> SyncNowAsync(EmptyParams p, CancellationToken cancellationToken) =>
        new(await sessions.Session.Engine.SyncNowAsync(cancellationToken));

    private Task<SyncStatus> SetWorkOfflineAsync(SetWorkOfflineParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = sessions.Session;
        session.SetWorkOffline(p.Enabled);
        return session.GetStatusAsync(cancellationToken);
    }

    /// <summary>Other credentials may be another account's: the session then serves that account's partition.</summary>
    private async Task<EmptyResult> SetCredentialsAsync(SetCredentialsParams p, CancellationToken cancellationToken)
    {
        await sessions.Session.SetCredentialsAsync(string.IsNullOrEmpty(p.Token) ? null : p.Token);
        return EmptyResult.Value;
    }

    private async Task<SignOutResult> SignOutAsync(SignOutParams p, CancellationToken cancellationToken)
    {
        var erased = await sessions.Session.SignOutAsync(p.ClearData);
        return new SignOutResult(erased is null ? null : new ClearedDataDto(erased.Operations, erased.Documents, erased.FileBytesBefore, erased.FileBytesAfter));
    }

    private async Task<ResolveConflictResult> ResolveConflictAsync(ResolveConflictParams p, CancellationToken cancellationToken)
    {
        if (p.Resolution == ConflictResolution.Merge && p.Payload is null)
        {
            throw JsonRpcException.InvalidParams("payload", "required for merge");
        }

        string? merged = p.Resolution == ConflictResolution.Merge ? p.Payload!.Value.Text : null;
        Operation? operation = await sessions.Session.Engine.ResolveConflictAsync(p.Id, p.Resolution, merged, cancellationToken);
        return new ResolveConflictResult(operation is null ? null : ProtocolMapper.ToDto(operation));
    }
}
