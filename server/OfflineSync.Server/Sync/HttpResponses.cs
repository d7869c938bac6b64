using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

internal static class HttpResponses
{
    public static Task WriteJsonAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string code, string message) =>
        WriteJsonAsync(context, statusCode, new ErrorResponse(code, message), SyncJsonContext.Default.ErrorResponse);

    /// <summary>A 429 or 503: the whole request may be sent again after <paramref name="retryAfterSeconds"/>.</summary>
    public static Task WriteRetryLaterAsync(HttpContext context, int statusCode, string code, string message, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return WriteErrorAsync(context, statusCode, code, message);
    }
}
