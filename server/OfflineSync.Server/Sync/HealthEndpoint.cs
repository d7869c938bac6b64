using OfflineSync.Server.Faults;
using OfflineSync.Server.Hosting;
using OfflineSync.Server.Stats;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

internal sealed class HealthEndpoint(SyncRequestGate gate, ServerStats stats, ReportedClock clock, SyncServerOptions options)
{
    public const int ProtocolVersion = 1;

    public async Task HandleAsync(HttpContext context)
    {
        stats.CountRequest();
        if (!await gate.PassAvailabilityAsync(context))
        {
            return;
        }

        var health = new HealthResponse(clock.Now.UtcDateTime, ProtocolVersion, options.MaxBatchCommands, options.MaxBodyBytes);
        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, health, SyncJsonContext.Default.HealthResponse);
    }
}
