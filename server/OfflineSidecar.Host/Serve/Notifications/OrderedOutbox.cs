using System.Threading.Channels;

namespace OfflineSidecar.Host.Serve.Notifications;

/// <summary>
/// Sends engine-originated messages one after another in the order the engine raised them; the engine's
/// event handlers only enqueue, so they return at once.
/// </summary>
internal sealed class OrderedOutbox : IAsyncDisposable
{
    private readonly Channel<Func<CancellationToken, Task>> _items = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<Exception> _onError;
    private readonly Task _loop;

    public OrderedOutbox(Action<Exception> onError)
    {
        _onError = onError;
        _loop = Task.Run(DrainAsync);
    }

    public void Post(Func<CancellationToken, Task> send) => _items.Writer.TryWrite(send);

    private async Task DrainAsync()
    {
        try
        {
            await foreach (Func<CancellationToken, Task> send in _items.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    await send(_stopping.Token);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _onError(ex);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>Sends what is already queued (bounded by <paramref name="grace"/>), then stops.</summary>
    public async ValueTask DisposeAsync() => await DisposeAsync(TimeSpan.FromSeconds(1));

    public async ValueTask DisposeAsync(TimeSpan grace)
    {
        _items.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(grace));
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }
}
