using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync;

/// <summary>
/// A transport for reads that do not wait for the worker's loop (a document fetched on demand while a flush runs).
/// Rebuilt when the server or timeout changes; an old one is disposed once the last read using it has finished.
/// </summary>
internal sealed class SideTransport(Func<SyncOptions, ISyncTransport> factory) : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<ISyncTransport, int> users = [];
    private ISyncTransport? current;
    private (Uri? Url, TimeSpan Timeout) builtFor;
    private bool disposed;

    public async Task<T> UseAsync<T>(SyncOptions options, Func<ISyncTransport, Task<T>> use)
    {
        ISyncTransport transport;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (current is null || builtFor != (options.ServerUrl, options.RequestTimeout))
            {
                Retire(current);
                current = factory(options);
                builtFor = (options.ServerUrl, options.RequestTimeout);
                users[current] = 0;
            }

            transport = current;
            users[transport]++;
        }

        try
        {
            return await use(transport).ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                if (--users[transport] == 0 && transport != current)
                {
                    users.Remove(transport);
                    transport.Dispose();
                }
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            Retire(current);
            current = null;
        }
    }

    private void Retire(ISyncTransport? transport)
    {
        if (transport is not null && users.TryGetValue(transport, out var count) && count == 0)
        {
            users.Remove(transport);
            transport.Dispose();
        }
    }
}
