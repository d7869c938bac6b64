using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.JsonRpc.Stdio;

namespace OfflineSidecar.Host.Serve;

/// <summary><c>offline-sidecar serve --stdio</c>: the sidecar on the process's stdin/stdout.</summary>
internal static class StdioSidecar
{
    public static async Task<int> RunAsync(ServeOptions options, CancellationToken cancellationToken)
    {
        // stdout carries frames only: anything printed by accident goes to stderr instead.
        TextWriter stderr = Console.Error;
        Console.SetOut(stderr);

        var input = StdioPipes.OpenInput();
        var output = StdioPipes.OpenOutput();
        var log = new SidecarLog(stderr, TimeProvider.System);
        await using var server = new SidecarServer(input, output, options, TimeProvider.System,
            (store, cache, syncOptions, time) => SyncEngine.Create(store, syncOptions, time, log.FromSync, cache), log);
        return await server.RunAsync(cancellationToken);
    }
}
