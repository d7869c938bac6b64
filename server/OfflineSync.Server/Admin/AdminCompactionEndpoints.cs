using System.Data.Common;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Sync;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Admin;

/// <summary>Compacts a workspace's changes feed on demand; the reference server never does it by itself.</summary>
internal sealed class AdminCompactionEndpoints(ISyncStore store)
{
    public void Map(IEndpointRouteBuilder routes) => routes.MapPost("/admin/compact", CompactAsync);

    private async Task CompactAsync(HttpContext context)
    {
        var request = await AdminRequestBody.ReadAsync(context, SyncJsonContext.Default.CompactRequest);
        if (request is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(request.WorkspaceId))
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "workspaceId: required");
            return;
        }

        CompactionResult result;
        try
        {
            result = await store.CompactAsync(request.WorkspaceId, context.RequestAborted);
        }
        catch (DbException exception)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable, exception.Message);
            return;
        }

        var horizon = result.Horizon.Exists ? FeedCursor.Format(result.Horizon.AsPosition) : "";
        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new CompactResponse(result.Removed, horizon), SyncJsonContext.Default.CompactResponse);
    }
}
