using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace OfflineSync.Server.Tests.Support;

/// <summary>
/// A client's copy of one workspace, built from <c>GET /sync/changes</c> the way the sidecar builds its cache:
/// a row replaces its entity, a deleted row removes it. Every page is checked against the cursor rules of the
/// protocol document (canonical decimal, never backwards, equal to <c>since</c> only when empty).
/// </summary>
internal sealed class FeedReplica(SyncApi api, string workspaceId)
{
    private const int MaxStartOversPerPull = 20;

    private readonly Dictionary<string, JsonObject> live = new(StringComparer.Ordinal);

    public string? Cursor { get; private set; }

    /// <summary>Live entities by id: the last row read for each, unless that row was a delete.</summary>
    public IReadOnlyDictionary<string, JsonObject> Live => live;

    /// <summary>How often a 410 made <see cref="PullAsync"/> start over from the beginning.</summary>
    public int Restarts { get; private set; }

    /// <summary>Reads one page from <see cref="Cursor"/> (which must not be expired) and applies it.</summary>
    /// <returns>The page's rows.</returns>
    public async Task<List<JsonObject>> PullPageAsync(int limit)
    {
        using var response = await api.GetChangesAsync(workspaceId, Cursor, limit);
        return Apply(await SyncApi.ReadJsonAsync(response, HttpStatusCode.OK)).Rows;
    }

    /// <summary>Reads pages until <c>hasMore</c> is false.</summary>
    /// <param name="startOverWhenExpired">On 410 <c>cursor_expired</c>, drop everything and read from the
    /// beginning (what a client does); otherwise a 410 fails the test.</param>
    /// <returns>Every row read, in order (after the last start-over).</returns>
    public async Task<List<JsonObject>> PullAsync(int limit = 100, bool startOverWhenExpired = false)
    {
        var rows = new List<JsonObject>();
        var startOvers = 0;
        while (true)
        {
            using var response = await api.GetChangesAsync(workspaceId, Cursor, limit);
            if (response.StatusCode == HttpStatusCode.Gone && startOverWhenExpired)
            {
                var error = await SyncApi.ReadJsonAsync(response, HttpStatusCode.Gone);
                Assert.Equal("cursor_expired", error["code"]!.GetValue<string>());
                Assert.NotNull(Cursor);
                // A read from the beginning is only expired again by a compaction raising the horizon meanwhile;
                // this many in a row means the server expires the cursors of such reads themselves.
                Assert.True(++startOvers <= MaxStartOversPerPull, $"{startOvers} start-overs in one pull: the feed never lets a read from the beginning finish");
                live.Clear();
                rows.Clear();
                Cursor = null;
                Restarts++;
                continue;
            }

            var (pageRows, hasMore) = Apply(await SyncApi.ReadJsonAsync(response, HttpStatusCode.OK));
            rows.AddRange(pageRows);
            if (!hasMore)
            {
                return rows;
            }
        }
    }

    public static long ParseCursor(string cursor)
    {
        Assert.Matches("^(0|[1-9][0-9]*)$", cursor);
        return long.Parse(cursor, CultureInfo.InvariantCulture);
    }

    private (List<JsonObject> Rows, bool HasMore) Apply(JsonObject page)
    {
        var rows = page["changes"]!.AsArray().Select(row => row!.AsObject()).ToList();
        var next = ParseCursor(page["cursor"]!.GetValue<string>());
        var previous = Cursor is null ? 0 : ParseCursor(Cursor);
        if (rows.Count == 0)
        {
            Assert.Equal(previous, next);
        }
        else
        {
            Assert.True(next > previous, $"cursor went from {previous} to {next} over {rows.Count} rows");
        }

        foreach (var row in rows)
        {
            var entityId = row["entityId"]!.GetValue<string>();
            if (row["deleted"]!.GetValue<bool>())
            {
                live.Remove(entityId);
            }
            else
            {
                live[entityId] = row;
            }
        }

        Cursor = page["cursor"]!.GetValue<string>();
        return (rows, page["hasMore"]!.GetValue<bool>());
    }
}
