using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>The sidecar's op cache against the server's state: every entity of the feed, read with offlineSync/cache/get.</summary>
internal static class CacheComparison
{
    /// <returns>How many entities were compared and what differed (empty: equal).</returns>
    public static async Task<(int Compared, List<string> Differences)> CompareAsync(SidecarProcess sidecar, IReadOnlyList<ServerChange> feed)
    {
        var latest = new Dictionary<string, ServerChange>(StringComparer.Ordinal);
        foreach (var change in feed)
        {
            latest[change.EntityId] = change;
        }

        var differences = new List<string>();
        foreach (var chunk in latest.Values.Chunk(32))
        {
            var reads = chunk.Select(async change => (change, entry: await ReadAsync(sidecar, change.EntityId))).ToArray();
            foreach (var (change, entry) in await Task.WhenAll(reads))
            {
                var problem = Compare(change, entry);
                if (problem is not null && differences.Count < 20)
                {
                    differences.Add(problem);
                }
                else if (problem is not null)
                {
                    differences.Add("…");
                    return (latest.Count, differences);
                }
            }
        }

        var listed = (await sidecar.GetStatusAsync())["cache"]!["entities"]!.GetValue<long>();
        if (listed != latest.Count)
        {
            differences.Add($"the cache holds {listed} documents, the server {latest.Count}");
        }

        return (latest.Count, differences);
    }

    private static async Task<JsonNode?> ReadAsync(SidecarProcess sidecar, string entityId)
    {
        try
        {
            return await sidecar.RequestAsync("offlineSync/cache/get", new { entityId });
        }
        catch (InvalidOperationException error) when (error.Message.Contains("1001", StringComparison.Ordinal))
        {
            return null;
        }
    }

    private static string? Compare(ServerChange server, JsonNode? cached)
    {
        if (server.Deleted)
        {
            return cached is null ? null : $"{server.EntityId}: deleted on the server, cached at v{cached["version"]}";
        }

        if (cached is null)
        {
            return $"{server.EntityId}: v{server.Version} on the server, not in the cache";
        }

        var version = cached["version"]!.GetValue<long>();
        var same = JsonNode.DeepEquals(JsonNode.Parse(server.Payload!.Value.GetRawText()), cached["payload"]);
        return version == server.Version && same && cached["state"]!.GetValue<string>() == "synced"
            ? null
            : $"{server.EntityId}: server v{server.Version} {server.Payload}, cache v{version} {cached["payload"]?.ToJsonString()} ({cached["state"]})";
    }
}
