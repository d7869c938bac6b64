using System.Globalization;
using System.Data.Common;
using OfflineSync.Server.Faults;
using OfflineSync.Server.Stats;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

/// <summary>GET /sync/changes: one row per applied change of a workspace, in the order they were committed.</summary>
internal sealed class ChangesEndpoint(ISyncStoreReader reader, SyncRequestGate gate, FaultState faults, ServerStats stats)
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

        var sinceText = query["since"].ToString();
        FeedPosition? since = null;
        if (sinceText.Length > 0)
        {
            if (!FeedCursor.TryParse(sinceText, out var position))
            {
                await WriteNotIssuedAsync(context);
                return;
            }

            since = position;
        }

        var limitText = query["limit"].ToString();
        var limit = DefaultLimit;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "limit: a positive integer");
            return;
        }

        var countText = query["count"].ToString();
        if (countText is not ("" or "true" or "false"))
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "count: true or false");
            return;
        }

        ChangePage? page;
        FeedHorizon horizon;
        try
        {
            page = reader.ReadChanges(workspaceId, since, Math.Min(limit, MaxLimit), countText == "true", out horizon);
        }
        catch (DbException)
        {
            await HttpResponses.WriteRetryLaterAsync(
                context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable, "storage failed", faults.Current.RetryAfterSeconds);
            return;
        }

        if (page is null)
        {
            if (horizon.Expires(since!.Value))
            {
                // Permanent for this cursor, so no Retry-After: only a read from the beginning can succeed.
                await HttpResponses.WriteErrorAsync(
                    context,
                    StatusCodes.Status410Gone,
                    ErrorCodes.CursorExpired,
                    $"since: this workspace's feed was compacted past it (horizon {FeedCursor.Format(horizon.AsPosition)}); read it again from the beginning, without since");
            }
            else
            {
                await WriteNotIssuedAsync(context);
            }

            return;
        }

        var response = new ChangesResponse(page.Changes, FeedCursor.Format(page.Next), page.HasMore, page.Remaining);
        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, response, SyncJsonContext.Default.ChangesResponse);
    }

    private static Task WriteNotIssuedAsync(HttpContext context) =>
        HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor, "since: not a cursor this server issued");
}
