using System.Net.Http.Json;
using System.Text.Json;

namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>The reads a test makes of a sync server over HTTP, whichever front it goes through.</summary>
internal static class ServerReads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every change of the workspace in commit order, following the cursor to the end.</summary>
    public static async Task<List<ServerChange>> AllChangesAsync(HttpClient http, string workspaceId)
    {
        var all = new List<ServerChange>();
        string? cursor = null;
        while (true)
        {
            var url = $"sync/changes?workspaceId={Uri.EscapeDataString(workspaceId)}&limit=1000" + (cursor is null ? "" : "&since=" + Uri.EscapeDataString(cursor));
            var page = (await http.GetFromJsonAsync<ChangesPage>(url, Json))!;
            all.AddRange(page.Changes);
            if (!page.HasMore)
            {
                return all;
            }

            cursor = page.Cursor;
        }
    }

    /// <summary>An entity as the server holds it (its loopback admin read), or null.</summary>
    public static async Task<ServerEntity?> EntityAsync(HttpClient admin, string workspaceId, string entityId)
    {
        using var response = await admin.GetAsync($"admin/entities/{Uri.EscapeDataString(workspaceId)}/{entityId}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ServerEntity>(Json);
    }
}
