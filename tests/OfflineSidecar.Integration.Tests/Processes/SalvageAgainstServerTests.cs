using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// A store damaged after its operations reached the server but before their answers did: the real sidecar moves the
/// file aside, puts the unsynced operations it can read back in the queue with their original idempotency keys, and
/// sends them again; the real server answers every one "duplicate" and applies nothing twice.
/// </summary>
public sealed class SalvageAgainstServerTests
{
    private const string Workspace = "ws-salvage";
    private const int Operations = 150;
    private static readonly object Settings = new { leaseSeconds = 2, syncIntervalSeconds = 3600, backoffBaseSeconds = 0.2, backoffCapSeconds = 1 };

    [Fact]
    public async Task Salvaged_operations_the_server_already_applied_are_answered_duplicate_and_applied_once()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        var database = Path.Combine(data.Path, "offline-sidecar.db");

        await using (var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings))
        {
            await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
            for (var i = 0; i < Operations; i++)
            {
                // One operation per document: each is the head of its entity, so all go out while every answer is lost.
                await sidecar.EnqueueAsync($"notes/{i}.md", new { n = i, pad = new string('p', 700) });
            }

            // Every batch is applied, every answer lost: the server has all of them, the sidecar believes none arrived.
            await server.SetFaultsAsync(new { dropAfterApplyRate = 1.0 });
            await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });
            await Wait.UntilAsync(async () => (await server.GetStatsAsync()).Applied == Operations, "the server applied every operation", timeoutSeconds: 60);
            sidecar.KillHard();
        }

        await server.SetFaultsAsync(new { dropAfterApplyRate = 0.0 });
        await server.ResetStatsAsync();
        Checkpoint(database);
        var bytes = await File.ReadAllBytesAsync(database);
        var middle = bytes.Length / 4096 / 2 * 4096;
        new Random(3).NextBytes(bytes.AsSpan(middle, 2 * 4096));
        await File.WriteAllBytesAsync(database, bytes);

        await using var restarted = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings);

        await Wait.UntilAsync(() => restarted.Latest("window/showMessage") is not null, "the damaged store was shown to the user");
        var message = restarted.Latest("window/showMessage")!["message"]!.GetValue<string>();
        var recovered = int.Parse(System.Text.RegularExpressions.Regex.Match(message, @"(\d+) unsynced operation\(s\) recovered").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(recovered, 1, Operations);
        Assert.Contains($"{Operations - recovered} lost", message, StringComparison.Ordinal);
        await Wait.UntilAsync(async () => Succeeded(await restarted.GetStatusAsync()) == recovered, "the salvaged operations were delivered", timeoutSeconds: 60);

        var stats = await server.GetStatsAsync();
        Assert.Equal(0, stats.Applied);
        Assert.Equal(recovered, stats.Duplicates);
        // Each document was written once: version 1, not 2.
        for (var entity = 0; entity < Operations; entity++)
        {
            Assert.Equal(1, (await server.ReadEntityAsync(Workspace, $"notes/{entity}.md"))!.Version);
        }
    }

    private static int Succeeded(JsonNode status) => status["counts"]!["succeeded"]!.GetValue<int>();

    /// <summary>Moves what the killed sidecar left in the WAL into the file, so the damage lands on the rows themselves.</summary>
    private static void Checkpoint(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }
}
