using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OfflineSync.Server.Tests.Support;

/// <summary>Protocol calls with raw JSON in and out.</summary>
internal sealed class SyncApi(HttpClient client)
{
    public string? Token { get; init; }

    public static JsonObject Batch(string workspaceId, params JsonObject[] commands) => new()
    {
        ["workspaceId"] = workspaceId,
        ["clientId"] = "test-client",
        // Cloned so a test can send the same command object again.
        ["commands"] = new JsonArray([.. commands.Select(c => c.DeepClone())]),
    };

    public Task<HttpResponseMessage> PostCommandsAsync(string workspaceId, params JsonObject[] commands) =>
        PostCommandsRawAsync(Batch(workspaceId, commands).ToJsonString());

    public async Task<HttpResponseMessage> PostCommandsRawAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sync/commands")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        Authorize(request);
        return await client.SendAsync(request);
    }

    /// <summary>Posts a batch that must be answered 200 and returns its results array.</summary>
    public async Task<JsonArray> ApplyAsync(string workspaceId, params JsonObject[] commands)
    {
        using var response = await PostCommandsAsync(workspaceId, commands);
        var body = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.NotNull(body["serverTime"]);
        var results = body["results"]!.AsArray();
        Assert.Equal(commands.Length, results.Count);
        return results;
    }

    public async Task<JsonObject> ApplyOneAsync(string workspaceId, JsonObject command) =>
        (await ApplyAsync(workspaceId, command))[0]!.AsObject();

    public async Task<HttpResponseMessage> GetChangesAsync(string workspaceId, string? since = null, int? limit = null, bool? count = null)
    {
        var query = $"/sync/changes?workspaceId={Uri.EscapeDataString(workspaceId)}";
        if (since is not null)
        {
            query += $"&since={Uri.EscapeDataString(since)}";
        }

        if (limit is not null)
        {
            query += $"&limit={limit}";
        }

        if (count is not null)
        {
            query += count.Value ? "&count=true" : "&count=false";
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        Authorize(request);
        return await client.SendAsync(request);
    }

    public async Task<JsonObject> ReadChangesAsync(string workspaceId, string? since = null, int? limit = null, bool? count = null)
    {
        using var response = await GetChangesAsync(workspaceId, since, limit, count);
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>GET /sync/entity; a null argument leaves that query parameter out.</summary>
    public async Task<HttpResponseMessage> GetSyncEntityAsync(string? workspaceId, string? entityId)
    {
        var parameters = new List<string>();
        if (workspaceId is not null)
        {
            parameters.Add($"workspaceId={Uri.EscapeDataString(workspaceId)}");
        }

        if (entityId is not null)
        {
            parameters.Add($"entityId={Uri.EscapeDataString(entityId)}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/sync/entity?" + string.Join('&', parameters));
        Authorize(request);
        return await client.SendAsync(request);
    }

    public async Task<JsonObject> ReadSyncEntityAsync(string workspaceId, string entityId)
    {
        using var response = await GetSyncEntityAsync(workspaceId, entityId);
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public async Task<HttpResponseMessage> GetWhoAmIAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sync/whoami");
        Authorize(request);
        return await client.SendAsync(request);
    }

    /// <summary>POST /admin/compact for the workspace; must be answered 200.</summary>
    public async Task<JsonObject> CompactAsync(string workspaceId)
    {
        using var response = await PostCompactRawAsync(new JsonObject { ["workspaceId"] = workspaceId }.ToJsonString());
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public Task<HttpResponseMessage> PostCompactRawAsync(string body) =>
        client.PostAsync("/admin/compact", new StringContent(body, Encoding.UTF8, "application/json"));

    public async Task<JsonObject> ResetStatsAsync()
    {
        using var response = await client.PostAsync("/admin/reset-stats", content: null);
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public async Task<JsonObject> SetFaultsAsync(JsonObject faults)
    {
        using var response = await client.PostAsync("/admin/faults", new StringContent(faults.ToJsonString(), Encoding.UTF8, "application/json"));
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public async Task<JsonObject> GetCommandLogAsync()
    {
        using var response = await client.GetAsync(new Uri("/admin/command-log", UriKind.Relative));
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public async Task<JsonObject> GetStatsAsync()
    {
        using var response = await client.GetAsync(new Uri("/admin/stats", UriKind.Relative));
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public async Task<JsonObject> WriteEntityAsync(string workspaceId, string entityId, JsonNode? payload)
    {
        var body = new JsonObject { ["workspaceId"] = workspaceId, ["entityId"] = entityId, ["payload"] = payload };
        using var response = await client.PostAsync("/admin/entities", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    /// <returns>The entity, or null when the server answers 404.</returns>
    public async Task<JsonObject?> GetEntityAsync(string workspaceId, string entityId)
    {
        using var response = await client.GetAsync(new Uri($"/admin/entities/{workspaceId}/{entityId}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
    }
}
