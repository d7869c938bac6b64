using OfflineSync.Server.Hosting;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Sync;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Admin;

internal sealed class AdminIdempotencyEndpoints(ISyncStore store, SyncServerOptions options)
{
    public void Map(IEndpointRouteBuilder routes) => routes.MapPost("/admin/prune-idempotency", PruneAsync);

    /// <summary>Runs the retention prune now instead of waiting for the next interval.</summary>
    private async Task PruneAsync(HttpContext context)
    {
        var removed = await store.PruneIdempotencyAsync(options.IdempotencyRetention, context.RequestAborted);
        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new PruneResponse(removed), SyncJsonContext.Default.PruneResponse);
    }
}
