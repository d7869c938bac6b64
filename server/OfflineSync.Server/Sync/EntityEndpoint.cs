using System.Data.Common;
using OfflineSync.Server.Commands;
using OfflineSync.Server.Faults;
using OfflineSync.Server.Stats;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

/// <summary>GET /sync/entity: one document's current state, in the shape of a changes-feed row so that a client
/// applies it the same way.</summary>
internal sealed class EntityEndpoint(ISyncStoreReader reader, SyncRequestGate gate, FaultState faults, ServerStats stats)
{
    public async Task HandleAsync(HttpContext context)
    {
        stats.CountRequest();
        stats.CountEntityRequest();
        if (!await gate.PassAccessAsync(context))
        {
            return;
        }

        var query = context.Request.Query;
        var workspaceId = query["workspaceId"].ToString();
        var entityId = query["entityId"].ToString();
        if (workspaceId.Length == 0 || entityId.Length == 0)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "workspaceId and entityId: required");
            return;
        }

        EntityState? state;
        try
        {
            state = reader.ReadEntity(workspaceId, entityId);
        }
        catch (DbException)
        {
            await HttpResponses.WriteRetryLaterAsync(
                context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable, "storage failed", faults.Current.RetryAfterSeconds);
            return;
        }

        if (state is null)
        {
            await HttpResponses.WriteErrorAsync(
                context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"no entity '{entityId}' in workspace '{workspaceId}'");
            return;
        }

        // The type of the entity's latest change row, which wrote its current version. Derived instead of looked up:
        // changes has no per-entity index (every command would pay for one), and after compaction purged a deleted
        // entity's rows there is no row left to look at anyway.
        var document = new ChangeRecord(entityId, CommandTypes.ThatLeaves(state.Deleted), state.Version, state.Payload, state.Deleted);
        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, document, SyncJsonContext.Default.ChangeRecord);
    }
}
