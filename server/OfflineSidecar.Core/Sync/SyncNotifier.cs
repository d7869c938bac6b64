using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// Everything the engine tells its listeners: the state (published only when it changed), sync events, progress,
/// counts and the account behind the credentials. Handlers see <paramref name="sender"/> (the engine) as the sender;
/// a handler that throws is logged and skipped, so a listener's bug cannot stop the worker.
/// </summary>
internal sealed class SyncNotifier(object sender, Func<SyncState> buildState, SyncLog log)
{
    private readonly Lock gate = new();
    private SyncState? state;

    public event EventHandler<SyncState>? StateChanged;

    public event EventHandler<SyncEvent>? SyncEventRaised;

    public event EventHandler<SyncProgress>? ProgressReported;

    public event EventHandler<QueueCounts>? CountsChanged;

    public event EventHandler<AccountIdentity>? AccountIdentified;

    /// <summary>The state last published (built now when nothing was published yet).</summary>
    public SyncState State
    {
        get
        {
            lock (gate)
            {
                return state ??= buildState();
            }
        }
    }

    /// <summary>Builds the state and raises <see cref="StateChanged"/> when it differs from the last one.</summary>
    public void Publish()
    {
        SyncState next;
        lock (gate)
        {
            next = buildState();
            if (next == state)
            {
                return;
            }

            state = next;
        }

        Raise(StateChanged, next);
    }

    public void Raise(SyncEvent syncEvent) => Raise(SyncEventRaised, syncEvent);

    public void Report(SyncProgress progress) => Raise(ProgressReported, progress);

    public void Counts(QueueCounts counts) => Raise(CountsChanged, counts);

    /// <summary>Not shielded like the others: a handler that throws fails the loop step that asked, which is retried.</summary>
    public void Account(AccountIdentity identity) => AccountIdentified?.Invoke(sender, identity);

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(sender, args);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            log.Write(SyncLogLevel.Error, $"sync event handler failed: {exception.Message}");
        }
    }
}
