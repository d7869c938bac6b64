namespace OfflineSidecar.Host.Serve.Notifications;

/// <summary>
/// Limits a notification to one per window: the first signal schedules a send at the end of the window,
/// signals meanwhile merge into it, and the send reads the state current at that moment.
/// </summary>
internal sealed class NotificationCoalescer(TimeSpan window, TimeProvider time, Func<CancellationToken, Task> send, Action<Exception> onError) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private int _scheduled;
    private Task _pending = Task.CompletedTask;

    public void Signal()
    {
        if (_stopping.IsCancellationRequested || Interlocked.Exchange(ref _scheduled, 1) != 0)
        {
            return;
        }

        _pending = SendLaterAsync();
    }

    private async Task SendLaterAsync()
    {
        try
        {
            await Task.Delay(window, time, _stopping.Token);
            await _sending.WaitAsync(_stopping.Token);
            try
            {
                // Reset before reading the state: a change from now on needs (and gets) a send of its own.
                Volatile.Write(ref _scheduled, 0);
                await send(_stopping.Token);
            }
            finally
            {
                _sending.Release();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the client is not listening for state any more.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Volatile.Write(ref _scheduled, 0);
            onError(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _pending;
        _stopping.Dispose();
        _sending.Dispose();
    }
}
