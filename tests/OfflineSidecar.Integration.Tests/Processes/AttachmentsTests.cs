using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Processes;

/// <summary>
/// Operations that carry files: the real sidecar process against the real server. The file is copied before the
/// enqueue answers, goes up before the command that names it, and the local copy leaves once nothing unfinished needs it.
/// </summary>
public sealed class AttachmentsTests
{
    private const string Workspace = "ws-attach";
    private static readonly object Settings = new { leaseSeconds = 2, syncIntervalSeconds = 3600, backoffBaseSeconds = 0.2, backoffCapSeconds = 2, maxAttempts = 1 };

    [Fact]
    public async Task A_file_deleted_after_the_enqueue_reaches_the_server_and_its_copy_goes_when_no_unfinished_operation_needs_it()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        using var files = new TempDirectory("files");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings);
        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
        var content = RandomNumberGenerator.GetBytes(300_000);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

        var scan = Write(files.Path, "scan.pdf", content);
        var put = await EnqueueAsync(sidecar, "document.put.v1", "notes/with-scan.md", new { path = scan, mediaType = "application/pdf" });
        File.Delete(scan);
        // The same bytes under another name, carried by an operation the server always refuses: it stays failed, so
        // the shared copy must outlive the first operation's success.
        var copy = Write(files.Path, "copy.bin", content);
        var refused = await EnqueueAsync(sidecar, "test.reject.v1", "notes/refused", new { path = copy, name = "again.pdf" });
        File.Delete(copy);

        var queued = (await sidecar.RequestAsync("offlineSync/getOperation", new { id = put }))!["operation"]!["attachments"]!.AsArray();
        Assert.Equal((sha256, "scan.pdf", "application/pdf", 300_000L), Describe(queued.Single()!));
        Assert.Equal(content, File.ReadAllBytes(Blob(data.Path, sha256)));
        var listed = JsonDocument.Parse((await CliAsync(data.Path, "list", "--json")).Stdout).RootElement.GetProperty("items");
        Assert.Equal(["again.pdf", "scan.pdf"], listed.EnumerateArray().Select(o => o.GetProperty("attachments")[0].GetProperty("name").GetString()!).Order().ToArray());

        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });
        await Wait.UntilAsync(async () => Count(await sidecar.GetStatusAsync(), "succeeded") == 1 && Count(await sidecar.GetStatusAsync(), "failed") == 1, "one applied, one refused");

        Assert.Equal(content, await server.ReadBlobAsync(Workspace, sha256));
        Assert.NotNull(await server.ReadEntityAsync(Workspace, "notes/with-scan.md"));
        Assert.True(File.Exists(Blob(data.Path, sha256)), "the failed operation still needs the shared copy");
        var succeeded = (await sidecar.RequestAsync("offlineSync/getOperation", new { id = put }))!["operation"]!;
        Assert.Equal("succeeded", succeeded["status"]!.GetValue<string>());
        Assert.Single(succeeded["attachments"]!.AsArray());

        await sidecar.RequestAsync("offlineSync/discard", new { ids = new[] { refused } });
        await Wait.UntilAsync(() => !File.Exists(Blob(data.Path, sha256)), "the copy deleted once no unfinished operation references it");
    }

    [Fact]
    public async Task A_missing_or_too_large_file_is_a_clear_enqueue_error_and_queues_nothing()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        using var files = new TempDirectory("files");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, new { attachmentMaxSizeMB = 0.01 });
        var missing = Path.Combine(files.Path, "gone.txt");
        var large = Write(files.Path, "large.bin", new byte[20_000]);

        var unreadable = await Assert.ThrowsAsync<InvalidOperationException>(
            () => EnqueueAsync(sidecar, "document.put.v1", "notes/a.md", new { path = missing }));
        var tooLarge = await Assert.ThrowsAsync<InvalidOperationException>(
            () => EnqueueAsync(sidecar, "document.put.v1", "notes/b.md", new { path = large }));

        Assert.Contains("\"code\":1010", unreadable.Message, StringComparison.Ordinal);
        Assert.Contains(missing, unreadable.Message, StringComparison.Ordinal);
        Assert.Contains("\"code\":1011", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("20000 bytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.Equal(0, Count(await sidecar.GetStatusAsync(), "pending") + Count(await sidecar.GetStatusAsync(), "succeeded"));
        Assert.Empty(BlobFiles(data.Path));
    }

    [Fact]
    public async Task An_export_carries_the_files_into_a_fresh_data_directory_whose_sidecar_sends_them()
    {
        using var serverData = new TempDirectory("server");
        using var first = new TempDirectory("first-data");
        using var second = new TempDirectory("second-data");
        using var files = new TempDirectory("files");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        var content = RandomNumberGenerator.GetBytes(50_000);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var export = Path.Combine(files.Path, "queue.json");
        await using (var before = await SidecarProcess.StartAsync(first.Path, Workspace, server.Url, Settings))
        {
            await before.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
            await EnqueueAsync(before, "document.put.v1", "notes/handed-over.md", new { path = Write(files.Path, "photo.jpg", content), mediaType = "image/jpeg" });
            await before.RequestAsync("offlineSync/export", new { path = export });
        }

        await using var after = await SidecarProcess.StartAsync(second.Path, Workspace, server.Url, Settings);
        await after.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
        var imported = await after.RequestAsync("offlineSync/import", new { path = export });
        var again = await after.RequestAsync("offlineSync/import", new { path = export });

        Assert.Equal((1, 0, 1), (imported!["count"]!.GetValue<int>(), again!["count"]!.GetValue<int>(), again["skipped"]!.GetValue<int>()));
        var operation = (await after.RequestAsync("offlineSync/listOperations", new { }))!["items"]!.AsArray().Single()!;
        Assert.Equal((sha256, "photo.jpg", "image/jpeg", 50_000L), Describe(operation["attachments"]!.AsArray().Single()!));
        Assert.Equal(content, File.ReadAllBytes(Blob(second.Path, sha256)));

        await after.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });
        await Wait.UntilAsync(async () => Count(await after.GetStatusAsync(), "succeeded") == 1, "the imported operation synced");
        Assert.Equal(content, await server.ReadBlobAsync(Workspace, sha256));
        await Wait.UntilAsync(() => BlobFiles(second.Path).Length == 0, "the synced operation's copy deleted");
    }

    [Fact]
    public async Task A_local_copy_deleted_by_hand_fails_its_operation_alone_with_the_servers_refusal()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        using var files = new TempDirectory("files");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await using var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings);
        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
        var content = RandomNumberGenerator.GetBytes(2000);
        var lost = await EnqueueAsync(sidecar, "document.put.v1", "notes/lost.md", new { path = Write(files.Path, "lost.bin", content) });
        await sidecar.EnqueueAsync("notes/plain.md", new { content = "no files", encoding = "utf-8" });
        File.Delete(Blob(data.Path, Convert.ToHexStringLower(SHA256.HashData(content))));

        await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = false });
        await Wait.UntilAsync(async () => Count(await sidecar.GetStatusAsync(), "failed") == 1 && Count(await sidecar.GetStatusAsync(), "succeeded") == 1, "one failed, one applied");

        var failed = (await sidecar.RequestAsync("offlineSync/getOperation", new { id = lost }))!["operation"]!;
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("attachment_missing", failed["lastError"]!["code"]!.GetValue<string>());
        Assert.Null(await server.ReadEntityAsync(Workspace, "notes/lost.md"));
        Assert.NotNull(await server.ReadEntityAsync(Workspace, "notes/plain.md"));
    }

    [Fact]
    public async Task A_start_deletes_files_that_no_operation_references_and_keeps_those_queued()
    {
        using var serverData = new TempDirectory("server");
        using var data = new TempDirectory("sidecar-data");
        using var files = new TempDirectory("files");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        var kept = RandomNumberGenerator.GetBytes(1000);
        await using (var sidecar = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, Settings))
        {
            await sidecar.RequestAsync("offlineSync/setWorkOffline", new { enabled = true });
            await EnqueueAsync(sidecar, "document.put.v1", "notes/kept.md", new { path = Write(files.Path, "kept.bin", kept) });
        }

        // What a crash between a blob's rename and its operation's commit leaves behind.
        var orphan = RandomNumberGenerator.GetBytes(1000);
        var orphanPath = Blob(data.Path, Convert.ToHexStringLower(SHA256.HashData(orphan)));
        File.WriteAllBytes(orphanPath, orphan);

        await using var restarted = await SidecarProcess.StartAsync(data.Path, Workspace, server.Url, new { workOffline = true });
        await Wait.UntilAsync(() => !File.Exists(orphanPath), "the orphan collected at start");
        Assert.True(File.Exists(Blob(data.Path, Convert.ToHexStringLower(SHA256.HashData(kept)))));
    }

    private static async Task<string> EnqueueAsync(SidecarProcess sidecar, string type, string entityId, object attachment)
    {
        var answer = await sidecar.RequestAsync(
            "offlineSync/enqueue", new { type, entityId, payload = new { content = entityId, encoding = "utf-8" }, attachments = new[] { attachment } });
        return answer!["id"]!.GetValue<string>();
    }

    private static (string, string, string?, long) Describe(JsonNode attachment) => (
        attachment["sha256"]!.GetValue<string>(),
        attachment["name"]!.GetValue<string>(),
        attachment["mediaType"]?.GetValue<string>(),
        attachment["size"]!.GetValue<long>());

    private static string Write(string directory, string name, byte[] content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Blob(string dataDir, string sha256) => Path.Combine(dataDir, "attachments", sha256);

    private static string[] BlobFiles(string dataDir)
    {
        var directory = Path.Combine(dataDir, "attachments");
        return Directory.Exists(directory) ? Directory.GetFiles(directory) : [];
    }

    private static int Count(JsonNode status, string state) => status["counts"]![state]!.GetValue<int>();

    private static Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(string dataDir, params string[] args) =>
        SidecarCli.RunAsync(dataDir, Workspace, args);
}
