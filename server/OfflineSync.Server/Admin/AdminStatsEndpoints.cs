using OfflineSync.Server.Stats;
using OfflineSync.Server.Sync;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Admin;

internal sealed class AdminStatsEndpoints(ServerStats stats, CommandRequestLog commandLog)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin/stats", GetAsync);
        routes.MapPost("/admin/reset-stats", ResetAsync);
        routes.MapGet("/admin/command-log", GetCommandLogAsync);
    }

    private Task GetAsync(HttpContext context) =>
        HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, stats.Snapshot(), SyncJsonContext.Default.StatsSnapshot);

    private Task ResetAsync(HttpContext context)
    {
        stats.Reset();
        commandLog.Reset();
        return GetAsync(context);
    }

    private Task GetCommandLogAsync(HttpContext context) =>
        HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, commandLog.Snapshot(), SyncJsonContext.Default.CommandLogResponse);
}
