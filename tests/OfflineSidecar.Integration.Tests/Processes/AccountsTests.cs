using System.Text;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// Two accounts on one machine: the real sidecar process against the real server with two accounts. Neither sees nor
/// sends the other's work; a rotated token finds its account's queue; signing out with clearData leaves no byte of the
/// account's data in the database file.
/// </summary>
public sealed class AccountsTests
{
    private const string Workspace = "ws-accounts";
    private static readonly (string, string)[] Accounts = [("alice", "t-alice"), ("bob", "t-bob"), ("alice", "t-alice-2")];
    private static readonly object Settings = new { leaseSeconds = 2, syncIntervalSeconds = 3600, backoffBaseSeconds = 0.2, backoffCapSeconds = 2 };

    [Fact]
    public async Task An_account_signed_in_after_another_never_sees_or_sends_its_queue_and_the_first_finds_it_again()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, accounts: Accounts);
        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings, token: "t-alice");
        await UntilAccountAsync(sidecar, "alice");

        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
        await sidecar.EnqueueAsync("notes/alice-1.md", new { content = "alice's first", encoding = "utf-8" });
        await sidecar.EnqueueAsync("notes/alice-2.md", new { content = "alice's second", encoding = "utf-8" });
        Assert.Equal(2, Pending(await sidecar.GetStatusAsync()));

        // Bob signs in on the same machine, still offline: the server has not said whose the token is yet.
        await sidecar.RequestAsync("offlineSync/setCredentials", new { token = "t-bob" });
        var asBob = await sidecar.GetStatusAsync();
        Assert.Equal((0, (string?)null), (Pending(asBob), asBob["account"]?.GetValue<string>()));
        Assert.Empty((await sidecar.RequestAsync("offlineSync/listOperations", new { }))!["items"]!.AsArray());
        await sidecar.EnqueueAsync("notes/bob.md", new { content = "bob's", encoding = "utf-8" });
        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });
        await UntilAccountAsync(sidecar, "bob");
        await Wait.UntilAsync(async () => (await server.ReadEntityAsync(Workspace, "notes/bob.md")) is not null, "bob's operation reached the server");
        Assert.Equal(1, (await server.GetStatsAsync()).Applied);
        Assert.Null(await server.ReadEntityAsync(Workspace, "notes/alice-1.md"));

        await sidecar.RequestAsync("offlineSync/setCredentials", new { token = "t-alice" });
        await UntilAccountAsync(sidecar, "alice");
        await Wait.UntilAsync(async () => (await server.ReadEntityAsync(Workspace, "notes/alice-2.md")) is not null, "alice's queue drained on her return");
        Assert.Equal(3, (await server.GetStatsAsync()).Applied);
        // Bob's operation is in his partition, not listed here; alice's two are, once their answers are recorded.
        await Wait.UntilAsync(async () => (await sidecar.GetStatusAsync())["counts"]!["succeeded"]!.GetValue<int>() == 2, "alice's answers recorded");
        var listed = (await sidecar.RequestAsync("offlineSync/listOperations", new { }))!["items"]!.AsArray();
        Assert.Equal(["notes/alice-1.md", "notes/alice-2.md"], listed.Select(o => o!["entityId"]!.GetValue<string>()).Order().ToArray());
    }

    [Fact]
    public async Task A_new_token_of_the_same_account_used_offline_brings_its_work_into_the_accounts_queue_in_order()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, accounts: Accounts);
        await using (var first = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings, token: "t-alice"))
        {
            await UntilAccountAsync(first, "alice");
            await first.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
            await first.EnqueueAsync("notes/plan.md", new { content = "v1", encoding = "utf-8" });
        }

        // The token was rotated while the server could not be reached: the sidecar cannot know yet whose it is.
        await server.SetFaultsAsync(new { unavailable = true, retryAfterSeconds = 1 });
        await using var second = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings, token: "t-alice-2");
        Assert.Equal(0, Pending(await second.GetStatusAsync()));
        await second.EnqueueAsync("notes/plan.md", new { content = "v2", encoding = "utf-8" });

        await server.SetFaultsAsync(new { unavailable = false });
        await UntilAccountAsync(second, "alice");
        await Wait.UntilAsync(async () => (await server.ReadEntityAsync(Workspace, "notes/plan.md"))?.Version == 2, "both edits applied, in order");

        var entity = await server.ReadEntityAsync(Workspace, "notes/plan.md");
        Assert.Equal("v2", entity!.Payload!.Value.GetProperty("content").GetString());
        await Wait.UntilAsync(async () => (await second.GetStatusAsync())["counts"]!["succeeded"]!.GetValue<int>() == 2, "both answers recorded in one queue");
        Assert.Contains("join alice's queue", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_with_clearData_deletes_the_accounts_queue_and_documents_and_their_bytes_leave_the_file()
    {
        const string Marker = "ALICE-PRIVATE-5e1d";
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, accounts: Accounts);
        for (var i = 0; i < 50; i++)
        {
            await server.WriteEntityAsync(Workspace, $"shared/{i:D2}.md", new { content = $"{Marker} cached {i} {new string('c', 300)}", encoding = "utf-8" });
        }

        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings, token: "t-alice");
        await UntilAccountAsync(sidecar, "alice");
        await sidecar.RequestAsync("offlineSync/pull", new { }, timeoutSeconds: 60);
        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
        for (var i = 0; i < 20; i++)
        {
            await sidecar.EnqueueAsync($"notes/{i:D2}.md", new { content = $"{Marker} unsynced {i} {new string('u', 300)}", encoding = "utf-8" });
        }

        Assert.True(FileHolds(data.Path, Marker));
        var result = await sidecar.RequestAsync("offlineSync/signOut", new { clearData = true }, timeoutSeconds: 60);

        var cleared = result!["cleared"]!;
        Assert.Equal(20, cleared["operations"]!.GetValue<long>());
        Assert.Equal(50, cleared["documents"]!.GetValue<long>());
        Assert.True(cleared["fileBytesAfter"]!.GetValue<long>() < cleared["fileBytesBefore"]!.GetValue<long>());
        var status = await sidecar.GetStatusAsync();
        Assert.Null(status["account"]?.GetValue<string>());
        Assert.Equal((0, 0L), (Pending(status), status["cache"]!["entities"]!.GetValue<long>()));
        Assert.False(FileHolds(data.Path, Marker), "the erased account's data is still in the database or its WAL");

        // Signing in again starts afresh for that account: nothing of it comes back from this machine.
        await sidecar.RequestAsync("offlineSync/setCredentials", new { token = "t-alice" });
        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });
        await UntilAccountAsync(sidecar, "alice");

        Assert.Equal(0, Total(await sidecar.GetStatusAsync()));
    }

    private static async Task UntilAccountAsync(SidecarProcess sidecar, string account) =>
        await Wait.UntilAsync(async () => (await sidecar.GetStatusAsync())["account"]?.GetValue<string>() == account, $"the sidecar serving {account}", 30);

    private static int Pending(System.Text.Json.Nodes.JsonNode status) => status["counts"]!["pending"]!.GetValue<int>();

    private static int Total(System.Text.Json.Nodes.JsonNode status)
    {
        var counts = status["counts"]!;
        return new[] { "pending", "syncing", "failed", "conflict", "succeeded" }.Sum(k => counts[k]!.GetValue<int>());
    }

    private static bool FileHolds(string dataDir, string marker)
    {
        var needle = Encoding.UTF8.GetBytes(marker);
        foreach (var file in Directory.GetFiles(dataDir, "offline-sidecar.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            if (memory.ToArray().AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
