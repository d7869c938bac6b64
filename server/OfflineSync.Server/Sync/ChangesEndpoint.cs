using System.Globalization;
using Microsoft.Data.Sqlite;
using OfflineSync.Server.Faults;
using OfflineSync.Server.Stats;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

/// <summary>GET /sync/changes: one row per applied change of a workspace, in the order they were committed.</summary>
internal sealed class ChangesEndpoint(SyncStoreReader reader, SyncRequestGate gate, FaultState faults, ServerStats stats)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public async Task HandleAsync(HttpContext context)
    {
        stats.CountRequest();
        stats.CountChangesRequest();
        if (!await gate.PassAccessAsync(context))
        {
            return;
        }

        var query = context.Request.Query;
        var workspaceId = query["workspaceId"].ToString();
        if (workspaceId.Length == 0)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "workspaceId: required");
            return;
        }

        var since = query["since"].ToString();
        long afterSequence = 0;
        if (since.Length > 0 && !long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out afterSequence))
        {
            await HttpResponses.WriteErrorAsync(
                context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor, "since: not a cursor this server issued");
            return;
        }

        var limitText = query["limit"].ToString();
        var limit = DefaultLimit;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "limit: a positive integer");
            return;
        }

        ChangePage page;
        try
        {
            page = reader.ReadChanges(workspaceId, afterSequence, Math.Min(limit, MaxLimit));
        }
        catch (SqliteException)
        {
            await HttpResponses.WriteRetryLaterAsync(
                context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable, "storage failed", faults.Current.RetryAfterSeconds);
            return;
        }

        var cursor = page.LastSequence.ToString(CultureInfo.InvariantCulture);
        var response = new ChangesResponse(page.Changes, cursor, page.HasMore);
        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, response, SyncJsonContext.Default.ChangesResponse);
    }
}
