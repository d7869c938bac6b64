using System.Data.Common;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Hosting;

/// <summary>Forgets idempotency keys older than the retention period: at startup, then every prune interval.</summary>
internal sealed partial class IdempotencyPruner(ISyncStore store, SyncServerOptions options, ILogger<IdempotencyPruner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PruneInterval, options.TimeProvider);
        do
        {
            try
            {
                await store.PruneIdempotencyAsync(options.IdempotencyRetention, stoppingToken);
            }
            catch (DbException exception)
            {
                // The next tick tries again; a failed prune only keeps keys longer than promised.
                LogPruneFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning idempotency keys failed")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
