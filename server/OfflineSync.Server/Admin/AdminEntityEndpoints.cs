using System.Data.Common;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Sync;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Admin;

/// <summary>Direct entity access, so tests can act as "another client" and check what was stored.</summary>
internal sealed class AdminEntityEndpoints(ISyncStore store, ISyncStoreReader reader)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/admin/entities", WriteAsync);
        // Catch-all so that entity ids containing '/' can be read too.
        routes.MapGet("/admin/entities/{workspaceId}/{**entityId}", ReadAsync);
    }

    private async Task WriteAsync(HttpContext context)
    {
        var request = await AdminRequestBody.ReadAsync(context, SyncJsonContext.Default.AdminEntityWriteRequest);
        if (request is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(request.WorkspaceId) || string.IsNullOrEmpty(request.EntityId))
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "workspaceId and entityId: required");
            return;
        }

        if (!request.Deleted && request.Payload is null)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "payload: required unless deleted is true");
            return;
        }

        try
        {
            var state = await store.WriteDirectlyAsync(request.WorkspaceId, request.EntityId, request.Payload?.Utf8, request.Deleted, context.RequestAborted);
            await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, state, SyncJsonContext.Default.EntityState);
        }
        catch (DbException exception)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable, exception.Message);
        }
    }

    private async Task ReadAsync(HttpContext context)
    {
        var workspaceId = context.Request.RouteValues["workspaceId"] as string ?? "";
        var entityId = context.Request.RouteValues["entityId"] as string ?? "";
        var state = reader.ReadEntity(workspaceId, entityId);
        if (state is null)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"no entity '{entityId}' in workspace '{workspaceId}'");
            return;
        }

        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, state, SyncJsonContext.Default.EntityState);
    }
}
