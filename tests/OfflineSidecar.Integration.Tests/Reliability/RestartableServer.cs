using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>The reference server on a fixed port, killed (SIGKILL) and started again on the same port and data directory.</summary>
internal sealed class RestartableServer(string dataDir, int port, int seed) : IAsyncDisposable
{
    private SyncServerProcess? current;

    public SyncServerProcess Current => current ?? throw new InvalidOperationException("not started");

    public int Restarts { get; private set; }

    public static async Task<RestartableServer> StartAsync(string dataDir, int seed)
    {
        var server = new RestartableServer(dataDir, FreePort.Pick(), seed);
        server.current = await server.StartOnPortAsync();
        return server;
    }

    /// <summary>kill -9, then the same port and data directory again; <paramref name="faults"/> again (they live in memory).</summary>
    public async Task RestartAsync(object faults)
    {
        Current.Kill();
        await Current.DisposeAsync();
        current = await StartOnPortAsync();
        Restarts++;
        await current.SetFaultsAsync(faults);
    }

    public async ValueTask DisposeAsync()
    {
        if (current is not null)
        {
            await current.DisposeAsync();
        }
    }

    private async Task<SyncServerProcess> StartOnPortAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SyncServerProcess.StartAsync(dataDir, port, seed: seed + Restarts);
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                // The port can stay taken for a moment after the kill.
                await Task.Delay(250);
            }
        }
    }
}
