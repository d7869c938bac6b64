using System.Text.Json;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Host.Tests.Support;

namespace OfflineSidecar.Host.Tests.Cli;

/// <summary>The CLI binary against a store the real sidecar populated.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private readonly TempDirectory data = new();
    private readonly List<string> ids = [];

    public async Task InitializeAsync()
    {
        await using var sidecar = SidecarProcess.Start();
        JsonAssert.Result(await sidecar.InitializeAsync(data.Path, "ws"));
        for (int i = 0; i < 5; i++)
        {
            JsonElement ack = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", $"{{\"type\":\"note.add.v1\",\"payload\":{{\"n\":{i}}},\"entityId\":\"e{i}\"}}"));
            ids.Add(ack.GetProperty("id").GetString()!);
        }

        JsonAssert.Result(await sidecar.RequestAsync("shutdown", "{}"));
        await sidecar.NotifyAsync("exit");
        Assert.Equal(0, await sidecar.WaitForExitAsync());
    }

    public Task DisposeAsync()
    {
        data.Dispose();
        return Task.CompletedTask;
    }

    private Task<CliRun> Cli(params string[] arguments) => CliRun.RunAsync([.. arguments, "--data-dir", data.Path, "--workspace", "ws"]);

    [Fact]
    public async Task Status_reports_the_counts()
    {
        JsonElement json = (await Cli("status", "--json")).Json();
        CliRun table = await Cli("status");

        Assert.Equal(5, json.GetProperty("counts").GetProperty("pending").GetInt64());
        Assert.Equal("ws", json.GetProperty("workspaceId").GetString());
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"(?m)^pending\s+5$", table.Stdout);
    }

    [Fact]
    public async Task List_prints_operations_in_delivery_order()
    {
        JsonElement json = (await Cli("list", "--json", "--limit", "3")).Json();
        CliRun table = await Cli("list", "--status", "pending,failed");

        Assert.Equal(ids.Take(3), json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(5, json.GetProperty("total").GetInt64());
        Assert.False(json.GetProperty("items")[0].TryGetProperty("payload", out _));
        string[] lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[0].IndexOf("STATUS", StringComparison.Ordinal), lines[1].IndexOf("pending", StringComparison.Ordinal));
        Assert.Equal("5 of 5 operations", lines[^1].Trim());
    }

    [Fact]
    public async Task Export_clear_and_import_round_trip()
    {
        string file = data.File("queue-export.json");

        JsonElement exported = (await Cli("export", file, "--json")).Json();
        JsonElement cleared = (await Cli("clear-queue", "--json")).Json();
        JsonElement imported = (await Cli("import", file, "--json")).Json();
        JsonElement again = (await Cli("import", file, "--json")).Json();
        JsonElement list = (await Cli("list", "--json")).Json();

        Assert.Equal(5, exported.GetProperty("count").GetInt32());
        Assert.Equal(5, cleared.GetProperty("count").GetInt32());
        Assert.Equal(5, imported.GetProperty("count").GetInt32());
        Assert.Equal(0, again.GetProperty("count").GetInt32());
        Assert.Equal(5, again.GetProperty("skipped").GetInt32());
        Assert.Equal(ids, list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Retry_failed_moves_failed_operations_back_to_pending()
    {
        await using (SqliteOperationStore store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = data.File("offline-sidecar.db") }, TimeProvider.System))
        {
            SqliteWorkspaceStore workspace = store.Workspace("ws");
            IReadOnlyList<Operation> claimed = await workspace.ClaimEligibleAsync(2, DateTimeOffset.UtcNow.AddMinutes(1));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            await workspace.ApplyOutcomesAsync(claimed.Select(o => new OperationOutcome
            {
                Id = o.Id,
                NewStatus = OperationStatus.Failed,
                AttemptOutcome = "rejected",
                StartedAt = now,
                FinishedAt = now,
                Error = new OperationError("rejected", "server said no"),
            }).ToArray());
        }

        CliRun failedList = await Cli("list", "--status", "failed");
        JsonElement retried = (await Cli("retry-failed", "--json")).Json();
        JsonElement status = (await Cli("status", "--json")).Json();

        Assert.Contains("rejected: server said no", failedList.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, retried.GetProperty("count").GetInt32());
        Assert.Equal(0, status.GetProperty("counts").GetProperty("failed").GetInt64());
        Assert.Equal(5, status.GetProperty("counts").GetProperty("pending").GetInt64());
    }

    [Fact]
    public async Task Works_while_a_sidecar_is_running_on_the_same_file()
    {
        await using var sidecar = SidecarProcess.Start();
        JsonAssert.Result(await sidecar.InitializeAsync(data.Path, "ws"));
        await sidecar.NotifyAsync("initialized");
        JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":6}"));

        JsonElement status = (await Cli("status", "--json")).Json();
        JsonElement cleared = (await Cli("clear-queue", "--status", "pending", "--json")).Json();
        JsonElement afterCli = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getStatus", "{}"));

        Assert.Equal(6, status.GetProperty("counts").GetProperty("pending").GetInt64());
        Assert.Equal(6, cleared.GetProperty("count").GetInt32());
        Assert.Equal(0, afterCli.GetProperty("counts").GetProperty("pending").GetInt64());
    }

    [Fact]
    public async Task Usage_errors_exit_with_2()
    {
        CliRun badStatus = await Cli("list", "--status", "lost");
        CliRun badLimit = await Cli("list", "--limit", "9999");
        CliRun unknown = await CliRun.RunAsync("frobnicate");
        CliRun plainHttp = await Cli("sync", "--server", "http://sync.example.com");

        Assert.Equal(2, badStatus.ExitCode);
        Assert.Contains("unknown status 'lost'", badStatus.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badLimit.ExitCode);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal(2, plainHttp.ExitCode);
        Assert.Contains("--server", plainHttp.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_against_an_unreachable_server_reports_each_operation_and_exits_3()
    {
        CliRun run = await Cli("sync", "--server", "http://127.0.0.1:9/", "--timeout", "2", "--json");

        Assert.Equal(3, run.ExitCode);
        using JsonDocument report = JsonDocument.Parse(run.Stdout);
        Assert.False(report.RootElement.GetProperty("completed").GetBoolean());
        Assert.Contains("unreachable", report.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(ids, report.RootElement.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        CliRun run = await CliRun.RunAsync("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("0.1.0", run.Stdout.Trim());
    }

    [Fact]
    public async Task Data_dir_defaults_to_the_environment_variable()
    {
        var info = SidecarBinary.StartInfo(["status", "--json"], new Dictionary<string, string> { ["OFFLINE_SIDECAR_DATA_DIR"] = data.Path });
        using var process = System.Diagnostics.Process.Start(info)!;
        string stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal(data.File("offline-sidecar.db"), json.RootElement.GetProperty("databasePath").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("counts").GetProperty("pending").GetInt64());
    }
}
