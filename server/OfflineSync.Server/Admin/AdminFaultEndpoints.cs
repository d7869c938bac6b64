using System.Text.Json;
using OfflineSync.Server.Faults;
using OfflineSync.Server.Sync;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Admin;

internal sealed class AdminFaultEndpoints(FaultState faults)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin/faults", GetAsync);
        routes.MapPost("/admin/faults", UpdateAsync);
        routes.MapDelete("/admin/faults", ResetAsync);
    }

    private Task GetAsync(HttpContext context) =>
        HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, faults.Current, SyncJsonContext.Default.FaultSettings);

    private async Task UpdateAsync(HttpContext context)
    {
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException exception)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, $"body: {exception.Message}");
            return;
        }

        using (body)
        {
            var updated = FaultSettingsPatch.TryApply(faults.Current, body.RootElement, out var error);
            if (updated is null)
            {
                await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, error!);
                return;
            }

            faults.Replace(updated);
            await GetAsync(context);
        }
    }

    /// <summary>Back to the settings the server started with (including the --token).</summary>
    private Task ResetAsync(HttpContext context)
    {
        faults.Reset();
        return GetAsync(context);
    }
}
