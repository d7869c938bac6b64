using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Mapping;

namespace OfflineSidecar.Host.Cli;

/// <summary>
/// <c>offline-sidecar sync</c>: one flush through the real <see cref="SyncEngine"/> in manual mode, then the state
/// of every operation that was due. A sidecar holding the flush lease wins: the CLI then refuses rather than race it.
/// </summary>
internal sealed class OneShotFlush(SqliteWorkspaceStore workspace, string serverWorkspaceId, Uri server, string? token, TimeSpan startTimeout, TextWriter stderr)
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromMinutes(10);

    public async Task<SyncReport> RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Operation> due = await DueOperationsAsync(cancellationToken);
        if (due.Count == 0)
        {
            return new SyncReport(true, "Nothing to sync.", 0, 0, 0, []);
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var completed = new TaskCompletionSource<SyncEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new SyncOptions { ServerUrl = server, ServerWorkspaceId = serverWorkspaceId, Mode = SyncMode.Manual, ClientId = "offline-sidecar-cli" };
        await using SyncEngine engine = SyncEngine.Create(workspace, options, TimeProvider.System, Log);
        engine.SyncEventRaised += (_, e) =>
        {
            if (e.Kind == SyncEventKind.FlushStarted)
            {
                started.TrySetResult();
            }
            else if (e.Kind == SyncEventKind.FlushCompleted)
            {
                completed.TrySetResult(e);
            }
        };
        engine.SetCredentials(string.IsNullOrEmpty(token) ? null : token);
        await engine.StartAsync(cancellationToken);
        if (!await engine.SyncNowAsync(cancellationToken))
        {
            return new SyncReport(false, "Could not start a flush: another process (a running sidecar?) holds the flush lease.", 0, 0, 0, []);
        }

        if (!await Within(started.Task, startTimeout, cancellationToken))
        {
            return new SyncReport(false, $"No flush started within {startTimeout.TotalSeconds:0} s: the server is {Describe(engine.State.Connectivity)}.",
                0, 0, 0, await OutcomesAsync(due, cancellationToken));
        }

        if (!await Within(completed.Task, CompletionTimeout, cancellationToken))
        {
            return new SyncReport(false, "The flush did not finish in time.", 0, 0, 0, await OutcomesAsync(due, cancellationToken));
        }

        SyncEvent summary = await completed.Task;
        return new SyncReport(true, null, summary.Applied, summary.Failed, summary.Conflicts, await OutcomesAsync(due, cancellationToken));
    }

    private async Task<IReadOnlyList<Operation>> DueOperationsAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        var due = new List<Operation>();
        string? cursor = null;
        do
        {
            OperationPage page = await workspace.ListAsync(new ListQuery([OperationStatus.Pending], Cursor: cursor, Limit: 500), cancellationToken);
            due.AddRange(page.Items.Where(o => o.NextAttemptAt is null || o.NextAttemptAt <= now));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return due;
    }

    private async Task<IReadOnlyList<SyncOperationOutcome>> OutcomesAsync(IReadOnlyList<Operation> due, CancellationToken cancellationToken)
    {
        var outcomes = new List<SyncOperationOutcome>(due.Count);
        foreach (Operation before in due)
        {
            Operation after = (await workspace.GetAsync(before.Id, cancellationToken))?.Operation ?? before;
            outcomes.Add(new SyncOperationOutcome(after.Id, after.Type, after.EntityId, after.Status, after.Attempts, ProtocolMapper.ToDto(after.LastError)));
        }

        return outcomes;
    }

    private static async Task<bool> Within(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task finished = await Task.WhenAny(task, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        return finished == task;
    }

    private static string Describe(Connectivity connectivity) => connectivity switch
    {
        Connectivity.AuthRequired => "asking for credentials (--token)",
        Connectivity.AccessRevoked => "refusing access (403: revoked; the queue is kept, export it if needed)",
        Connectivity.Unreachable => "unreachable",
        Connectivity.Offline => "offline (no network)",
        _ => "not ready",
    };

    private void Log(SyncLogLevel level, string message)
    {
        if (level >= SyncLogLevel.Warning)
        {
            stderr.WriteLine(message);
        }
    }
}
