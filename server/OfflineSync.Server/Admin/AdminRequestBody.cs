using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OfflineSync.Server.Sync;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Admin;

/// <summary>Reads an admin endpoint's JSON body; a body that is not JSON of that shape is answered with a 400 here.</summary>
internal static class AdminRequestBody
{
    /// <returns>The request, or null once the 400 is written.</returns>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            var request = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted);
            if (request is null)
            {
                await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "body: a JSON object is required");
            }

            return request;
        }
        catch (JsonException exception)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, $"body: {exception.Message}");
            return null;
        }
    }
}
