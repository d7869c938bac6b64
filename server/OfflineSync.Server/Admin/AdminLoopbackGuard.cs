using System.Net;
using OfflineSync.Server.Sync;

namespace OfflineSync.Server.Admin;

/// <summary>The admin endpoints change what the server does and need no token, so they answer only callers
/// on this machine, even if the server were ever bound to another interface.</summary>
internal static class AdminLoopbackGuard
{
    public static bool IsAdminPath(HttpContext context) => context.Request.Path.StartsWithSegments("/admin", StringComparison.Ordinal);

    public static bool IsLoopback(IPAddress? remote) => remote is not null && IPAddress.IsLoopback(remote);

    public static Task RejectOrContinueAsync(HttpContext context, RequestDelegate next) =>
        IsLoopback(context.Connection.RemoteIpAddress)
            ? next(context)
            : HttpResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "admin endpoints answer loopback callers only");
}
