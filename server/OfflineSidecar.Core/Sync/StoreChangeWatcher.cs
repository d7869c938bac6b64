using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// Keeps this process's counts current with every process sharing the store. SQLite cannot notify across
/// processes, so a cheap change stamp is compared twice a second; counts are read only when it moved.
/// </summary>
internal sealed class StoreChangeWatcher : IAsyncDisposable
{
    private readonly ISyncStore store;
    private readonly TimeProvider time;
    private readonly TimeSpan interval;
    private readonly Action<QueueCounts> changed;
    private readonly Action<SyncLogLevel, string> log;
    private readonly SemaphoreSlim checking = new(1, 1);
    private ITimer? timer;
    private long? lastStamp;
    private bool disposed;

    public StoreChangeWatcher(ISyncStore store, TimeProvider time, TimeSpan interval, Action<QueueCounts> changed, Action<SyncLogLevel, string> log)
    {
        this.store = store;
        this.time = time;
        this.interval = interval;
        this.changed = changed;
        this.log = log;
    }

    public QueueCounts Counts { get; private set; } = QueueCounts.Empty;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken).ConfigureAwait(false);
        timer = time.CreateTimer(static s => ((StoreChangeWatcher)s!).OnTimer(), this, interval, interval);
    }

    /// <summary>Reads the stamp and, when it moved, the counts. Raises the callback only on a move.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (disposed)
            {
                return;
            }

            var stamp = await store.GetChangeStampAsync(cancellationToken).ConfigureAwait(false);
            if (stamp == lastStamp)
            {
                return;
            }

            var counts = await store.GetCountsAsync(cancellationToken).ConfigureAwait(false);
            lastStamp = stamp;
            Counts = counts;
            changed(counts);
        }
        finally
        {
            checking.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await checking.WaitAsync().ConfigureAwait(false);
        disposed = true;
        checking.Release();
    }

    private void OnTimer()
    {
        // A check still running means the next one would only repeat it.
        if (checking.CurrentCount == 0)
        {
            return;
        }

        _ = CheckInBackgroundAsync();
    }

    private async Task CheckInBackgroundAsync()
    {
        try
        {
            await CheckAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log(SyncLogLevel.Warning, "store watch failed: " + exception.Message);
        }
    }
}
