namespace OfflineSidecar.Host.Serve.Notifications;

/// <summary>
/// Limits a notification to one per window: the first signal schedules a send at the end of the window,
/// signals meanwhile merge into it, and the send reads the state current at that moment.
/// </summary>
internal sealed class NotificationCoalescer(TimeSpan window, TimeProvider time, Func<CancellationToken, Task> send, Action<Exception> onError) : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private int scheduled;
    private Task pending = Task.CompletedTask;

    public void Signal()
    {
        if (stopping.IsCancellationRequested || Interlocked.Exchange(ref scheduled, 1) != 0)
        {
            return;
        }

        pending = SendLaterAsync();
    }

    private async Task SendLaterAsync()
    {
        try
        {
            await Task.Delay(window, time, stopping.Token);
            await sending.WaitAsync(stopping.Token);
            try
            {
                // Reset before reading the state: a change from now on needs (and gets) a send of its own.
                Volatile.Write(ref scheduled, 0);
                await send(stopping.Token);
            }
            finally
            {
                sending.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the client is not listening for state any more.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Volatile.Write(ref scheduled, 0);
            onError(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await pending;
        stopping.Dispose();
        sending.Dispose();
    }
}
