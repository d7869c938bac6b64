using OfflineSync.Server.Faults;
using OfflineSync.Server.Stats;

namespace OfflineSync.Server.Sync;

/// <summary>What every /sync request passes before its own work: injected latency and outages, then
/// authentication and the whole-request faults.</summary>
internal sealed class SyncRequestGate(FaultState faults, ServerStats stats, IReadOnlyDictionary<string, string> accounts)
{
    private const string AccountKey = "offline-sync.account";

    /// <summary>The account a request that passed <see cref="PassAccessAsync"/> acts for.</summary>
    public static string AccountOf(HttpContext context) =>
        context.Items[AccountKey] as string ?? throw new InvalidOperationException("the request has not passed the access gate");

    /// <returns>False when a response was already written.</returns>
    public async Task<bool> PassAvailabilityAsync(HttpContext context)
    {
        var settings = faults.Current;
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(settings.LatencyMs, context.RequestAborted);
        }

        if (settings.Unavailable)
        {
            stats.CountFaultResponse();
            await HttpResponses.WriteRetryLaterAsync(
                context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "server unavailable (injected)", settings.RetryAfterSeconds);
            return false;
        }

        return true;
    }

    /// <returns>False when a response was already written.</returns>
    public async Task<bool> PassAccessAsync(HttpContext context)
    {
        if (!await PassAvailabilityAsync(context))
        {
            return false;
        }

        var settings = faults.Current;
        var authentication = BearerTokenAuthenticator.Authenticate(context.Request, settings.RequireToken, accounts);
        if (authentication.AccountId is not { } account)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, authentication.Failure!);
            return false;
        }

        context.Items[AccountKey] = account;

        if (settings.Forbidden)
        {
            stats.CountFaultResponse();
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "forbidden (injected)");
            return false;
        }

        if (faults.Roll(settings.Status429Rate))
        {
            stats.CountFaultResponse();
            await HttpResponses.WriteRetryLaterAsync(
                context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "too many requests (injected)", settings.RetryAfterSeconds);
            return false;
        }

        if (faults.Roll(settings.FailRate))
        {
            stats.CountFaultResponse();
            await HttpResponses.WriteRetryLaterAsync(
                context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "temporarily unavailable (injected)", settings.RetryAfterSeconds);
            return false;
        }

        return true;
    }
}
