using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

internal static class HttpResponses
{
    private const int ResponseBufferBytes = 4096;

    public static Task WriteJsonAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    /// <summary>
    /// Serializes the whole body into a pooled buffer first, then sends it with a Content-Length in one write:
    /// no chunked framing and a single flush for a body that is small (results of one batch) and always complete.
    /// </summary>
    public static async Task WriteBufferedJsonAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        var buffer = new PooledBufferWriter(ResponseBufferBytes);
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                JsonSerializer.Serialize(writer, value, typeInfo);
            }

            response.ContentLength = buffer.WrittenCount;
            await response.BodyWriter.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
        finally
        {
            buffer.Dispose();
        }
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
