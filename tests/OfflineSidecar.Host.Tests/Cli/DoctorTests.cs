using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OfflineSidecar.Host.Tests.Support;

namespace OfflineSidecar.Host.Tests.Cli;

/// <summary><c>doctor</c>: the CLI binary examining a store the real sidecar wrote, and the same store harmed on purpose.</summary>
public sealed class DoctorTests : IAsyncLifetime
{
    private readonly TempDirectory data = new();

    private string Database => this.data.File("offline-sidecar.db");

    public async Task InitializeAsync()
    {
        await using var sidecar = SidecarProcess.Start();
        JsonAssert.Result(await sidecar.InitializeAsync(this.data.Path, "ws"));
        for (int i = 0; i < 200; i++)
        {
            JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", $"{{\"type\":\"note.add.v1\",\"payload\":{{\"n\":{i},\"text\":\"{new string('x', 400)}\"}},\"entityId\":\"e{i % 20}\"}}"));
        }

        JsonAssert.Result(await sidecar.RequestAsync("shutdown", "{}"));
        await sidecar.NotifyAsync("exit");
        Assert.Equal(0, await sidecar.WaitForExitAsync());
    }

    public Task DisposeAsync()
    {
        this.data.Dispose();
        return Task.CompletedTask;
    }

    private Task<CliRun> Doctor(params string[] arguments) => CliRun.RunAsync(["doctor", "--data-dir", this.data.Path, .. arguments]);

    private static Dictionary<string, JsonElement> Checks(CliRun run) =>
        JsonDocument.Parse(run.Stdout).RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());

    [Fact]
    public async Task A_store_the_sidecar_left_is_healthy_and_examining_it_changes_no_byte()
    {
        byte[] before = SHA256.HashData(await File.ReadAllBytesAsync(Database));

        CliRun json = await Doctor("--json", "--full");
        CliRun table = await Doctor();

        Assert.Equal(0, json.ExitCode);
        Assert.True(JsonDocument.Parse(json.Stdout).RootElement.GetProperty("healthy").GetBoolean(), json.Stdout);
        Dictionary<string, JsonElement> checks = Checks(json);
        Assert.Equal(["counts", "integrity_check", "permissions", "schema", "wal"], checks.Keys.Order());
        Assert.All(checks.Values, c => Assert.True(c.GetProperty("ok").GetBoolean(), c.GetRawText()));
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("healthy", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(Database)));
    }

    [Fact]
    public async Task Drifted_counts_and_a_file_open_to_others_need_attention_with_exit_4()
    {
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE queue_counts SET count = count + 3 WHERE workspace = 'ws';";
            Assert.True(command.ExecuteNonQuery() > 0);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        CliRun run = await Doctor("--json");

        Assert.Equal(4, run.ExitCode);
        Dictionary<string, JsonElement> checks = Checks(run);
        Assert.False(checks["counts"].GetProperty("ok").GetBoolean());
        Assert.Contains("counted", checks["counts"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(OperatingSystem.IsWindows(), checks["permissions"].GetProperty("ok").GetBoolean());
        Assert.True(checks["quick_check"].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_damaged_file_is_reported_and_left_where_it_is()
    {
        byte[] bytes = await File.ReadAllBytesAsync(Database);
        Assert.True(bytes.Length > 16 * 4096, $"{bytes.Length} bytes: too small to damage a middle page");
        // Garbage over pages in the middle: the header still says SQLite, the b-trees do not hold together.
        for (int i = 4 * 4096; i < 12 * 4096; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        await File.WriteAllBytesAsync(Database, bytes);

        CliRun run = await Doctor("--json", "--full");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains(Checks(run).Values, c => !c.GetProperty("ok").GetBoolean());
        Assert.True(File.Exists(Database));
        Assert.Empty(Directory.GetFiles(this.data.Path, "offline-sidecar.db.corrupt-*"));
    }

    [Fact]
    public async Task No_store_is_a_failure_with_exit_1()
    {
        using var empty = new TempDirectory();

        CliRun run = await CliRun.RunAsync("doctor", "--data-dir", empty.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no store at", run.Stderr, StringComparison.Ordinal);
    }
}
