using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Window;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Serve.Notifications;

/// <summary>
/// Turns a flush's or a pull's progress into LSP work-done progress: <c>window/workDoneProgress/create</c> first, then
/// <c>$/progress</c> begin/report/end under that token. If the client refuses or does not answer the create,
/// the flush goes without progress. Runs on the <see cref="OrderedOutbox"/> loop only, so needs no locking.
/// </summary>
internal sealed class ProgressForwarder(JsonRpcConnection client, SidecarLog log)
{
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(5);

    private readonly HashSet<string> open = new(StringComparer.Ordinal);
    private bool unsupported;

    private const string PullTokenPrefix = "offline-sidecar/pull/";

    public static string TokenOf(SyncProgress progress) =>
        progress.Activity == SyncActivity.Pull ? PullTokenPrefix + progress.FlushId : $"offline-sidecar/flush/{progress.FlushId}";

    /// <summary>A pull's progress is cancellable (what it committed stays); a flush's is not.</summary>
    public static bool IsPullToken(string token) => token.StartsWith(PullTokenPrefix, StringComparison.Ordinal);

    public async Task ForwardAsync(SyncProgress progress, CancellationToken cancellationToken)
    {
        string token = TokenOf(progress);
        switch (progress.Kind)
        {
            case SyncProgressKind.Begin:
                if (!unsupported && await TryCreateAsync(token, cancellationToken))
                {
                    open.Add(token);
                    await SendAsync(token, new WorkDoneProgressValue
                    {
                        Kind = WorkDoneProgressKind.Begin,
                        Title = progress.Activity == SyncActivity.Pull ? "Pulling documents" : "Syncing",
                        Message = progress.Message,
                        Percentage = progress.Activity == SyncActivity.Pull && progress.Total <= 0 ? null : PercentageOf(progress),
                        Cancellable = progress.Activity == SyncActivity.Pull,
                    }, cancellationToken);
                }

                break;
            case SyncProgressKind.Report when open.Contains(token):
                await SendAsync(token, new WorkDoneProgressValue
                {
                    Kind = WorkDoneProgressKind.Report,
                    Message = progress.Message,
                    Percentage = progress.Total <= 0 ? null : PercentageOf(progress),
                }, cancellationToken);
                break;
            case SyncProgressKind.End when open.Remove(token):
                await SendAsync(token, new WorkDoneProgressValue { Kind = WorkDoneProgressKind.End, Message = progress.Message }, cancellationToken);
                break;
        }
    }

    private async Task<bool> TryCreateAsync(string token, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CreateTimeout);
        try
        {
            await client.SendRequestAsync(LspMethods.WorkDoneProgressCreate, new WorkDoneProgressCreateParams(token), timeout.Token);
            return true;
        }
        catch (JsonRpcException ex)
        {
            unsupported = ex.Code == JsonRpcErrorCodes.MethodNotFound;
            log.Debug($"client refused work-done progress: {ex.Message}");
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            log.Debug("client did not answer window/workDoneProgress/create in time");
            return false;
        }
    }

    private Task SendAsync(string token, WorkDoneProgressValue value, CancellationToken cancellationToken) =>
        client.NotifyAsync(LspMethods.Progress, new ProgressParams(token, value), cancellationToken);

    private static int PercentageOf(SyncProgress progress) =>
        progress.Total <= 0 ? 0 : Math.Clamp(progress.Done * 100 / progress.Total, 0, 100);
}
