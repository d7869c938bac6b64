using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// The real sidecar with its data directory on a real, small file system (a tmpfs the test mounts): under the critical
/// threshold it refuses new work with its own error while everything else still works; when SQLite itself runs out of
/// room the error is clear, nothing stored is harmed, and the same process works again once space returns.
/// </summary>
public sealed class DiskSpaceTests
{
    private const string Workspace = "ws-disk";
    private const int FileSystemMB = 16;

    [SkippableFact]
    public async Task Under_the_critical_threshold_enqueue_is_refused_while_reads_export_discard_and_sync_work_until_space_returns()
    {
        using var disk = SmallFileSystem.TryMount(FileSystemMB, out var whyNot);
        Skip.If(disk is null, whyNot);
        using var serverData = new TempDirectory("server");
        using var elsewhere = new TempDirectory("export");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        var dataDir = Path.Combine(disk.Path, "data");
        // Warning under 12 MB (all of this small disk's share), new work refused under 1.2 MB (a tenth of it).
        var settings = new { workOffline = true, lowSpaceWarningMB = 12, lowSpaceWarningPercent = 100, criticalSpaceMB = 2, leaseSeconds = 2 };

        await using (var first = await SidecarProcess.StartAsync(dataDir, Workspace, server.Url, settings))
        {
            Assert.Equal("ok", Level(await first.GetStatusAsync()));
            foreach (var name in new[] { "a", "b", "c" })
            {
                await first.EnqueueAsync($"notes/{name}.md", new { content = $"note {name}", encoding = "utf-8" });
            }
        }

        disk.FillLeaving(512 * 1024);
        await using var sidecar = await SidecarProcess.StartAsync(dataDir, Workspace, server.Url, settings);
        var status = await sidecar.GetStatusAsync();
        Assert.Equal("critical", Level(status));
        Assert.InRange(status["storage"]!["freeBytes"]!.GetValue<long>(), 1, status["storage"]!["criticalBytes"]!.GetValue<long>() - 1);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => sidecar.EnqueueAsync("notes/d.md", new { content = "note d", encoding = "utf-8" }));
        Assert.Contains("\"code\":1009", refused.Message, StringComparison.Ordinal);
        Assert.Contains("KB free", refused.Message, StringComparison.Ordinal);

        // Reads, export (to another disk), discard and sync need no room or free some.
        var listed = (await sidecar.RequestAsync("offlineSync/listOperations", new { }))!["items"]!.AsArray();
        Assert.Equal(3, listed.Count);
        var exported = await sidecar.RequestAsync("offlineSync/export", new { path = Path.Combine(elsewhere.Path, "queue.json") });
        Assert.Equal(3, exported!["count"]!.GetValue<int>());
        var discarded = await sidecar.RequestAsync("offlineSync/discard", new { ids = new[] { Id(listed, "notes/c.md") } });
        Assert.Equal(1, discarded!["count"]!.GetValue<int>());
        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });
        await Wait.UntilAsync(async () => (await server.ReadEntityAsync(Workspace, "notes/b.md")) is not null, "the queue synced on a nearly full disk");
        Assert.NotNull(await server.ReadEntityAsync(Workspace, "notes/a.md"));
        Assert.Null(await server.ReadEntityAsync(Workspace, "notes/c.md"));

        // Space returns: the next enqueue looks again and is accepted, in the same process.
        disk.RemoveFiller();
        await sidecar.EnqueueAsync("notes/d.md", new { content = "note d", encoding = "utf-8" });
        await Wait.UntilAsync(async () => (await server.ReadEntityAsync(Workspace, "notes/d.md")) is not null, "the new operation synced");
        Assert.Equal("ok", Level(await sidecar.GetStatusAsync()));
        Assert.Equal("ok", IntegrityCheck(dataDir));
    }

    [SkippableFact]
    public async Task When_sqlite_runs_out_of_room_the_error_is_clear_nothing_stored_is_harmed_and_the_store_recovers_when_space_returns()
    {
        using var disk = SmallFileSystem.TryMount(FileSystemMB, out var whyNot);
        Skip.If(disk is null, whyNot);
        var dataDir = Path.Combine(disk.Path, "data");
        // No server is needed; the thresholds are the defaults (on 16 MB: warning under 0.8 MB, refusal under 80 KB).
        await using var sidecar = await SidecarProcess.StartAsync(dataDir, Workspace, new Uri("http://127.0.0.1:9/"), new { workOffline = true });
        for (var i = 0; i < 5; i++)
        {
            await sidecar.EnqueueAsync($"notes/{i}.md", new { content = $"note {i}", encoding = "utf-8" });
        }

        Assert.Equal("ok", Level(await sidecar.GetStatusAsync()));

        // Another program fills the disk behind the sidecar's back: its last reading still shows room, so SQLite is what
        // runs out, in the middle of writing the operation's pages.
        disk.FillLeaving(300 * 1024);
        var big = new { content = new string('x', 600 * 1024), encoding = "utf-8" };
        var full = await Assert.ThrowsAsync<InvalidOperationException>(() => sidecar.EnqueueAsync("notes/big.md", big));

        Assert.Contains("\"code\":1003", full.Message, StringComparison.Ordinal);
        Assert.Contains("storage full", full.Message, StringComparison.Ordinal);
        Assert.Equal("ok", IntegrityCheck(dataDir));
        var listed = (await sidecar.RequestAsync("offlineSync/listOperations", new { }))!["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"notes/{i}.md"), listed.Select(o => o!["entityId"]!.GetValue<string>()).Order());
        // SQLite's answer made the sidecar look again: the status says why (low or critical, after SQLite's partial writes).
        Assert.Contains(Level(await sidecar.GetStatusAsync()), new[] { "low", "critical" });

        disk.RemoveFiller();
        await sidecar.EnqueueAsync("notes/big.md", big);

        var counts = (await sidecar.GetStatusAsync())["counts"]!;
        Assert.Equal(6, counts["pending"]!.GetValue<int>());
        Assert.Equal("ok", IntegrityCheck(dataDir));
    }

    private static string? Level(JsonNode status) => status["storage"]?["level"]?.GetValue<string>();

    private static string Id(JsonArray items, string entityId) =>
        items.Single(o => o!["entityId"]!.GetValue<string>() == entityId)!["id"]!.GetValue<string>();

    private static string IntegrityCheck(string dataDir)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "offline-sidecar.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }
}
