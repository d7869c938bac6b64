using OfflineSync.Server.Stats;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

/// <summary>
/// GET /sync/whoami: the account the presented token acts for. Clients key what they keep offline by it, so a second
/// account on the same machine never sees or sends the first one's work, and a new token of the same account finds it.
/// </summary>
internal sealed class WhoAmIEndpoint(SyncRequestGate gate, ServerStats stats)
{
    public async Task HandleAsync(HttpContext context)
    {
        stats.CountRequest();
        if (!await gate.PassAccessAsync(context))
        {
            return;
        }

        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new WhoAmIResponse(SyncRequestGate.AccountOf(context)), SyncJsonContext.Default.WhoAmIResponse);
    }
}
