using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Host.Cli;

/// <summary>
/// <c>offline-sidecar pull</c>: one pull of the server's changes into the op cache through the real <see cref="SyncEngine"/>
/// (manual mode: nothing queued is sent). A running sidecar holding the workspace's lease does the pulling instead;
/// the CLI then says so rather than race it. Ctrl+C stops between pages, keeping what was committed.
/// </summary>
internal sealed class OneShotPull(SqliteWorkspaceStore workspace, string serverWorkspaceId, SqliteDocumentCache cache, Uri server, string? token, TimeSpan startTimeout, TextWriter stderr)
{
    public async Task<PullResult> RunAsync(CancellationToken cancellationToken)
    {
        var options = new SyncOptions { ServerUrl = server, ServerWorkspaceId = serverWorkspaceId, Mode = SyncMode.Manual, ClientId = "offline-sidecar-cli", ProbeMax = startTimeout };
        await using SyncEngine engine = SyncEngine.Create(workspace, options, TimeProvider.System, Log, cache);
        engine.ProgressReported += (_, progress) =>
        {
            if (progress.Activity == SyncActivity.Pull && progress.Kind != SyncProgressKind.End)
            {
                stderr.WriteLine(progress.Message);
            }
        };
        engine.SetCredentials(string.IsNullOrEmpty(token) ? null : token);
        await engine.StartAsync(cancellationToken);
        using var stop = cancellationToken.Register(() => engine.CancelPull());
        return await engine.PullAsync(CancellationToken.None);
    }

    private void Log(SyncLogLevel level, string message)
    {
        if (level >= SyncLogLevel.Warning)
        {
            stderr.WriteLine(message);
        }
    }
}
