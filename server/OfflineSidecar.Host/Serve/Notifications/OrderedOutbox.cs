using System.Threading.Channels;

namespace OfflineSidecar.Host.Serve.Notifications;

/// <summary>
/// Sends engine-originated messages one after another in the order the engine raised them; the engine's
/// event handlers only enqueue, so they return at once.
/// </summary>
internal sealed class OrderedOutbox : IAsyncDisposable
{
    private readonly Channel<Func<CancellationToken, Task>> items = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly Action<Exception> onError;
    private readonly Task loop;

    public OrderedOutbox(Action<Exception> onError)
    {
        this.onError = onError;
        loop = Task.Run(DrainAsync);
    }

    public void Post(Func<CancellationToken, Task> send) => items.Writer.TryWrite(send);

    private async Task DrainAsync()
    {
        try
        {
            await foreach (Func<CancellationToken, Task> send in items.Reader.ReadAllAsync(stopping.Token))
            {
                try
                {
                    await send(stopping.Token);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    this.onError(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>Sends what is already queued (bounded by <paramref name="grace"/>), then stops.</summary>
    public async ValueTask DisposeAsync() => await DisposeAsync(TimeSpan.FromSeconds(1));

    public async ValueTask DisposeAsync(TimeSpan grace)
    {
        items.Writer.TryComplete();
        await Task.WhenAny(loop, Task.Delay(grace));
        await stopping.CancelAsync();
        await loop;
        stopping.Dispose();
    }
}
