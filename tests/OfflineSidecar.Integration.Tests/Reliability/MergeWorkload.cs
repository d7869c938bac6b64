using System.Globalization;
using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// Text documents edited on both sides: the sidecar changes line 3 (an enqueue expecting the version it read), another
/// client then changes line 16 on the server, so the sidecar's edit is often answered conflict and merged three ways
/// (ConflictMerger) and sent again, while the crash loop kills the sidecar. Afterwards each document must hold the
/// last applied edit of each side: a merge that lost either side's line shows.
/// </summary>
internal sealed class MergeWorkload(OperationLedger ledger, string workspace)
{
    public const int Documents = 6;
    private const int MineLine = 2;
    private const int TheirsLine = 15;
    private const int Lines = 20;
    private const string OtherClient = "other";
    private readonly List<string> acknowledged = [];
    private int nextDocument;
    private int theirs;

    public int OtherClientWrites => Volatile.Read(ref theirs);

    /// <summary>The sidecar's ids of the acknowledged edits.</summary>
    public IReadOnlyList<string> Acknowledged
    {
        get
        {
            lock (acknowledged)
            {
                return [.. acknowledged];
            }
        }
    }

    public static string Id(int document) => string.Create(CultureInfo.InvariantCulture, $"merge/m{document:D2}.md");

    public static bool IsOtherClients(ServerChange change) =>
        change.Payload is { } payload && payload.TryGetProperty("by", out var by) && by.GetString() == OtherClient;

    public static async Task SeedAsync(SyncServerProcess server, string workspace)
    {
        var initial = string.Join('\n', Enumerable.Range(0, Lines).Select(i => string.Create(CultureInfo.InvariantCulture, $"line {i}"))) + "\n";
        for (var d = 0; d < Documents; d++)
        {
            await server.WriteEntityAsync(workspace, Id(d), new { content = initial, encoding = "utf-8", by = OtherClient, n = 0 });
        }
    }

    /// <summary>Rounds until stopped or the sidecar is killed.</summary>
    public async Task RunAsync(SidecarProcess sidecar, SyncServerProcess server, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !sidecar.Killed)
        {
            await RoundAsync(sidecar, server, random);
            await Task.Delay(random.Next(50, 200), CancellationToken.None);
        }
    }

    /// <summary>Each document's last change holds the last applied edit of both sides.</summary>
    public static List<string> CheckBothSidesKept(IReadOnlyList<ServerChange> feed)
    {
        var problems = new List<string>();
        for (var d = 0; d < Documents; d++)
        {
            var changes = feed.Where(c => c.EntityId == Id(d)).ToList();
            var lastMine = changes.LastOrDefault(c => !IsOtherClients(c))?.Payload?.GetProperty("op").GetString();
            var lastTheirs = changes.Last(c => IsOtherClients(c)).Payload!.Value.GetProperty("n").GetInt32();
            var lines = changes[^1].Payload!.Value.GetProperty("content").GetString()!.Split('\n');
            var mine = lastMine is null ? $"line {MineLine}" : $"mine {lastMine}";
            var theirsLine = lastTheirs == 0 ? $"line {TheirsLine}" : $"theirs {lastTheirs}";
            if (lines[MineLine] != mine || lines[TheirsLine] != theirsLine)
            {
                problems.Add($"{Id(d)} v{changes[^1].Version}: '{lines[MineLine]}' / '{lines[TheirsLine]}', expected '{mine}' / '{theirsLine}'");
            }
        }

        return problems;
    }

    private async Task RoundAsync(SidecarProcess sidecar, SyncServerProcess server, Random random)
    {
        var id = Id(Interlocked.Increment(ref nextDocument) % Documents);
        try
        {
            var cached = await sidecar.RequestAsync("offlineSync/cache/get", new { entityId = id });
            // One unfinished edit per document: the next is written on what the server answered.
            if (cached!["state"]!.GetValue<string>() == "synced")
            {
                var entry = ledger.Next(id);
                var content = WithLine(cached["payload"]!["content"]!.GetValue<string>(), MineLine, $"mine {entry.OperationId}");
                var answer = await sidecar.RequestAsync("offlineSync/enqueue", new
                {
                    type = "document.put.v1",
                    entityId = id,
                    payload = new { content, encoding = "utf-8", op = entry.OperationId },
                    expectedVersion = cached["version"]!.GetValue<long>(),
                });
                entry.Acknowledge();
                lock (acknowledged)
                {
                    acknowledged.Add(answer!["id"]!.GetValue<string>());
                }
            }
        }
        catch (Exception) when (sidecar.Killed)
        {
            return;
        }
        catch (InvalidOperationException error) when (error.Message.Contains("\"code\":1001", StringComparison.Ordinal))
        {
            // Not pulled yet: the sidecar edits it once it has it.
        }

        await Task.Delay(random.Next(0, 100));
        await WriteTheirsAsync(server, id);
    }

    /// <summary>Read, change line 16, write expecting the version read; a conflict reads again, a failed request is sent again as is.</summary>
    private async Task WriteTheirsAsync(SyncServerProcess server, string id)
    {
        var n = Interlocked.Increment(ref theirs);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var current = (await server.ReadEntityAsync(workspace, id))!;
            var content = WithLine(current.Payload!.Value.GetProperty("content").GetString()!, TheirsLine, $"theirs {n}");
            var payload = new { content, encoding = "utf-8", by = OtherClient, n };
            var key = string.Create(CultureInfo.InvariantCulture, $"theirs-{n}-{attempt}");
            string? status = null;
            for (var send = 0; status is null && send < 100; send++)
            {
                status = await server.TryPutAsync(workspace, id, payload, current.Version, key);
            }

            if (status is "applied" or "duplicate")
            {
                return;
            }
        }

        throw new InvalidOperationException($"the other client could not write {id}");
    }

    private static string WithLine(string content, int line, string text)
    {
        var lines = content.Split('\n');
        lines[line] = text;
        return string.Join('\n', lines);
    }
}
