using System.Diagnostics;
using System.Text.Json;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>The CLI's <c>pull</c> and <c>cache</c> commands: the real binary, a real server, the same store a sidecar uses.</summary>
public sealed class CliDocumentsTests
{
    private const string Workspace = "ws-cli";

    [Fact]
    public async Task Pull_fills_the_cache_which_cache_list_get_and_pin_then_show()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("cli-data");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.SeedDocumentsAsync(Workspace, 1500, i => $"notes/{i:D4}.md", i => $"note {i}\n");

        var pulled = await CliAsync(data.Path, "pull", "--server", server.Url.ToString(), "--json");
        var again = await CliAsync(data.Path, "pull", "--server", server.Url.ToString());
        var list = await CliAsync(data.Path, "cache", "list", "--prefix", "notes/", "--limit", "10", "--json");
        var text = await CliAsync(data.Path, "cache", "get", "notes/0042.md");
        var pin = await CliAsync(data.Path, "cache", "pin", "notes/0042.md", "notes/0043.md");
        var pinned = await CliAsync(data.Path, "cache", "list", "--prefix", "notes/004", "--json");

        Assert.Equal(0, pulled.ExitCode);
        var report = JsonDocument.Parse(pulled.Stdout).RootElement;
        Assert.Equal(1500, report.GetProperty("pulled").GetInt64());
        Assert.True(report.GetProperty("complete").GetBoolean());
        Assert.Equal(1500, report.GetProperty("cache").GetProperty("entities").GetInt64());
        Assert.Contains("pulled 0 changes, up to date", again.Stdout, StringComparison.Ordinal);
        var page = JsonDocument.Parse(list.Stdout).RootElement;
        Assert.Equal(10, page.GetProperty("items").GetArrayLength());
        Assert.Equal(1500, page.GetProperty("total").GetInt64());
        Assert.Equal("notes/0000.md", page.GetProperty("items")[0].GetProperty("entityId").GetString());
        Assert.Equal("synced", page.GetProperty("items")[0].GetProperty("state").GetString());
        Assert.Equal("note 42\n", text.Stdout);
        Assert.Contains("2 documents pinned", pin.Stdout, StringComparison.Ordinal);
        var pins = JsonDocument.Parse(pinned.Stdout).RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("pinned").GetBoolean()).Select(i => i.GetProperty("entityId").GetString());
        Assert.Equal(["notes/0042.md", "notes/0043.md"], pins);
    }

    [Fact]
    public async Task Unknown_and_bad_ids_and_an_unreachable_server_are_clear_errors_with_their_exit_codes()
    {
        using var data = new TempDirectory("cli-data");

        var unknown = await CliAsync(data.Path, "cache", "get", "notes/missing.md");
        var bad = await CliAsync(data.Path, "cache", "get", "notes/../etc");
        var down = await CliAsync(data.Path, "pull", "--server", $"http://127.0.0.1:{FreePort.Pick()}/", "--timeout", "1");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("not found: no document notes/missing.md", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("'..'", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("cannot pull: the sync server is not reachable", down.Stderr, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(string dataDir, params string[] args) =>
        SidecarCli.RunAsync(dataDir, Workspace, args);
}
