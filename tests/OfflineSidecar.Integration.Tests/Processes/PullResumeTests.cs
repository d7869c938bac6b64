using System.Globalization;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Integration.Tests.Support;
using Xunit.Abstractions;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// A pull stopped mid-way, by kill -9 or by the user, resumes from its last committed page: the real sidecar process
/// against the real server, counting the server's changes requests.
/// </summary>
public sealed class PullResumeTests(ITestOutputHelper output)
{
    private const string Workspace = "ws-pull";
    private const int Documents = 12_000;
    private const int PageSize = 1000;
    private static readonly object Settings = new { leaseSeconds = 2, syncIntervalSeconds = 3600 };

    [Fact]
    public async Task A_pull_killed_between_pages_resumes_from_its_last_committed_page_and_fetches_no_committed_page_again()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.SeedDocumentsAsync(Workspace, Documents, Id, Text);
        // Each page then takes a while, so the kill lands in the middle of the pull.
        await server.SetFaultsAsync(new { latencyMs = 150 });

        var first = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings);
        await Wait.UntilAsync(async () => Entities(await first.GetStatusAsync()) >= 3 * PageSize, "a few pages pulled");
        first.KillHard();
        await first.DisposeAsync();
        var (committed, cursor) = await CommittedAsync(data.Path);
        output.WriteLine($"killed with {committed} documents committed, cursor {cursor}");
        Assert.True(committed is >= 3 * PageSize and < Documents, $"killed mid-pull ({committed})");
        Assert.Equal(0, committed % PageSize);

        await server.SetFaultsAsync(new { latencyMs = 0 });
        await server.ResetStatsAsync();
        await using var second = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings);
        await Wait.UntilAsync(async () => await PulledToTheEndAsync(second), "the resumed pull read the feed to its end", 120);

        var remainingPages = (Documents - committed + PageSize - 1) / PageSize;
        Assert.Equal(remainingPages, (await server.GetStatsAsync()).ChangesRequests);
        Assert.Equal(Documents, Entities(await second.GetStatusAsync()));
        var read = await second.RequestAsync("offlineSync/cache/get", new { entityId = Id(Documents - 1) });
        Assert.Equal(Text(Documents - 1), read!["payload"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pull_cancelled_from_its_progress_keeps_what_it_committed_and_the_next_pull_finishes_it()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.SeedDocumentsAsync(Workspace, Documents, Id, Text);
        await server.SetFaultsAsync(new { latencyMs = 150 });

        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings);
        await Wait.UntilAsync(() => ProgressToken(sidecar) is not null, "the long pull reports progress");
        var token = ProgressToken(sidecar)!;
        Assert.StartsWith("offline-sidecar/pull/", token, StringComparison.Ordinal);
        await sidecar.NotifyAsync("window/workDoneProgress/cancel", new { token });
        await Wait.UntilAsync(() => sidecar.Latest("$/progress")?["value"]?["kind"]?.GetValue<string>() == "end", "the pull ended");
        var cancelledAt = Entities(await sidecar.GetStatusAsync());
        Assert.True(cancelledAt < Documents, $"cancelled before the end ({cancelledAt})");
        Assert.Null((await sidecar.GetStatusAsync())["lastPulledAt"]?.GetValue<string>());

        await server.SetFaultsAsync(new { latencyMs = 0 });
        var result = await sidecar.RequestAsync("offlineSync/pull", new { }, timeoutSeconds: 120);

        Assert.True(result!["complete"]!.GetValue<bool>());
        Assert.Equal(Documents - cancelledAt, result["pulled"]!.GetValue<long>());
        Assert.Equal(Documents, Entities(await sidecar.GetStatusAsync()));
    }

    private static string Id(int i) => string.Create(CultureInfo.InvariantCulture, $"notes/{i:D5}.md");

    private static string Text(int i) => string.Create(CultureInfo.InvariantCulture, $"document {i}\n");

    private static long Entities(System.Text.Json.Nodes.JsonNode status) => status["cache"]!["entities"]!.GetValue<long>();

    private static string? ProgressToken(SidecarProcess sidecar) =>
        sidecar.Latest("$/progress") is { } progress && progress["value"]?["kind"]?.GetValue<string>() is "begin" or "report"
            ? progress["token"]?.GetValue<string>()
            : null;

    private static async Task<bool> PulledToTheEndAsync(SidecarProcess sidecar) =>
        (await sidecar.GetStatusAsync())["lastPulledAt"]?.GetValue<string>() is not null;

    /// <summary>What the killed sidecar left in its database file, read as another process would.</summary>
    private static async Task<(long Committed, string? Cursor)> CommittedAsync(string dataDir)
    {
        await using var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = Path.Combine(dataDir, "offline-sidecar.db") }, TimeProvider.System);
        var cache = store.Cache(Workspace);
        return ((await cache.GetTotalsAsync()).Entities, (await cache.GetPullStateAsync()).Cursor);
    }
}
