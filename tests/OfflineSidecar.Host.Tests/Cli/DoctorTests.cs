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
        DriftCountsAndOpenTheFile();

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
    public async Task Repair_recounts_drifted_counts_and_closes_the_file_to_others_then_the_store_is_healthy()
    {
        DriftCountsAndOpenTheFile();

        CliRun run = await Doctor("--repair", "--json");

        Assert.Equal(0, run.ExitCode);
        JsonElement report = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.True(report.GetProperty("healthy").GetBoolean(), run.Stdout);
        string[] repairs = report.GetProperty("repairs").EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.Contains(repairs, r => r.Contains("recounted", StringComparison.Ordinal));
        Assert.Equal(!OperatingSystem.IsWindows(), repairs.Any(r => r.Contains("owner-only", StringComparison.Ordinal)));
        Assert.Equal(200L, Scalar(Database, "SELECT count FROM queue_counts WHERE workspace = 'ws' AND status = 0;"));
    }

    [Fact]
    public async Task Repair_moves_a_damaged_file_aside_and_puts_its_unsynced_operations_back_with_their_keys()
    {
        Dictionary<string, string> keys = Keys(Database);
        Assert.Equal(200, keys.Count);
        byte[] bytes = await File.ReadAllBytesAsync(Database);
        int middle = bytes.Length / 4096 / 2 * 4096;
        new Random(5).NextBytes(bytes.AsSpan(middle, 2 * 4096));
        await File.WriteAllBytesAsync(Database, bytes);

        CliRun run = await Doctor("--repair", "--json");

        Assert.Equal(0, run.ExitCode);
        JsonElement report = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.True(report.GetProperty("healthy").GetBoolean(), run.Stdout);
        JsonElement salvage = report.GetProperty("salvage");
        int recovered = salvage.GetProperty("recovered").GetInt32();
        Assert.InRange(recovered, 100, 199);
        Assert.Equal(200 - recovered, salvage.GetProperty("lost").GetInt32());
        string moved = Directory.GetFiles(data.Path, "offline-sidecar.db.corrupt-*").Single(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        Assert.Contains(report.GetProperty("repairs").EnumerateArray(), r => r.GetString()!.Contains(moved, StringComparison.Ordinal));
        Dictionary<string, string> back = Keys(Database);
        Assert.Equal(recovered, back.Count);
        Assert.All(back, pair => Assert.Equal(keys[pair.Key], pair.Value));

        // Salvaging the moved file again (by hand) finds the same operations already queued and adds nothing.
        CliRun again = await CliRun.RunAsync("salvage", moved, "--data-dir", data.Path, "--json");
        Assert.Equal(0, again.ExitCode);
        JsonElement second = JsonDocument.Parse(again.Stdout).RootElement;
        Assert.Equal(0, second.GetProperty("reimported").GetInt32());
        Assert.Equal(recovered, second.GetProperty("alreadyQueued").GetInt32());
        Assert.Equal(recovered, Keys(Database).Count);
    }

    /// <summary>Counts 3 above the rows, and a file others may read (where the OS has modes).</summary>
    private void DriftCountsAndOpenTheFile()
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
    }

    private static Dictionary<string, string> Keys(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, idempotency_key FROM operations;";
        using var rows = command.ExecuteReader();
        var keys = new Dictionary<string, string>();
        while (rows.Read())
        {
            keys[rows.GetString(0)] = rows.GetString(1);
        }

        return keys;
    }

    private static object? Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
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
