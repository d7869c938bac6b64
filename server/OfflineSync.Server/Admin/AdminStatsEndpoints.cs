using OfflineSync.Server.Stats;
using OfflineSync.Server.Sync;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Admin;

internal sealed class AdminStatsEndpoints(ServerStats stats)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin/stats", GetAsync);
        routes.MapPost("/admin/reset-stats", ResetAsync);
    }

    private Task GetAsync(HttpContext context) =>
        HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, stats.Snapshot(), SyncJsonContext.Default.StatsSnapshot);

    private Task ResetAsync(HttpContext context)
    {
        stats.Reset();
        return GetAsync(context);
    }
}
