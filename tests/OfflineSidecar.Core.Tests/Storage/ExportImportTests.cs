using System.Text.Json;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class ExportImportTests : StoreTestBase
{
    [Fact]
    public async Task Export_writes_unfinished_operations_in_the_documented_format()
    {
        var pending = await EnqueueAsync(Queue, "doc", payload: """{"title":"a","n":[1,2]}""", expectedVersion: 4, priority: OperationPriority.High);
        var done = await EnqueueAsync("other");
        var failed = await EnqueueAsync("third");
        await Queue.ClaimEligibleAsync(10, Clock.GetUtcNow());
        await CompleteAsync(done.Id, OperationStatus.Succeeded);
        await CompleteAsync(failed.Id, OperationStatus.Failed, "rejected", new OperationError("validation", "no"));
        await Queue.ApplyOutcomesAsync([Outcome(pending.Id, OperationStatus.Pending, Clock.GetUtcNow(), "retry")]);
        var path = Directory.File("export.json");

        Assert.Equal(2, await Queue.ExportAsync(path));

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = document.RootElement;
        Assert.Equal("offline-sidecar-export", root.GetProperty("format").GetString());
        Assert.Equal(2, root.GetProperty("version").GetInt32());
        Assert.Equal("2026-11-22T10:00:00.000Z", root.GetProperty("exportedAt").GetString());
        Assert.Equal("ws", root.GetProperty("workspaceId").GetString());
        var operations = root.GetProperty("operations").EnumerateArray().ToList();
        Assert.Equal([pending.Id, failed.Id], operations.Select(o => o.GetProperty("id").GetString()));
        var first = operations[0];
        Assert.Equal("document.put.v1", first.GetProperty("type").GetString());
        Assert.Equal("doc", first.GetProperty("entityId").GetString());
        Assert.Equal(JsonValueKind.Object, first.GetProperty("payload").ValueKind);
        Assert.Equal("a", first.GetProperty("payload").GetProperty("title").GetString());
        Assert.Equal(pending.Id, first.GetProperty("idempotencyKey").GetString());
        Assert.Equal(4, first.GetProperty("expectedVersion").GetInt64());
        Assert.Equal("high", first.GetProperty("priority").GetString());
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Equal(1, first.GetProperty("attempts").GetInt32());
        Assert.Equal("failed", operations[1].GetProperty("status").GetString());
        Assert.Equal("validation", operations[1].GetProperty("lastError").GetProperty("code").GetString());
        Assert.Equal(0, first.GetProperty("attachments").GetArrayLength());
        Assert.Empty(root.GetProperty("blobs").EnumerateObject());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task Import_into_another_store_round_trips_and_reimport_adds_nothing()
    {
        var a1 = await EnqueueAsync(Queue, "a", payload: """{"v":1}""", expectedVersion: 2, dedupKey: "a:title");
        var a2 = await EnqueueAsync("a", payload: """{"v":2}""");
        var free = await EnqueueAsync(payload: "[true,null]", priority: OperationPriority.Low);
        var path = Directory.File("export.json");
        await Queue.ExportAsync(path);
        var target = Open(new Core.Storage.StoreOptions { DatabasePath = Directory.File("other.db") }).Workspace("ws2");

        var first = await target.ImportAsync(path);
        var again = await target.ImportAsync(path);

        Assert.Equal(new ImportResult(3, 0), first);
        Assert.Equal(new ImportResult(0, 3), again);
        var imported = (await target.GetAsync(a1.Id))!.Operation;
        Assert.Equal("ws2", imported.WorkspaceId);
        Assert.Equal("""{"v":1}""", imported.PayloadJson);
        Assert.Equal(a1.Id, imported.IdempotencyKey);
        Assert.Equal("a:title", imported.DedupKey);
        Assert.Equal(2, imported.ExpectedVersion);
        Assert.Equal(Clock.GetUtcNow(), imported.CreatedAt);
        Assert.Equal("[true,null]", (await target.GetAsync(free.Id))!.Operation.PayloadJson);
        Assert.Equal(OperationPriority.Low, (await target.GetAsync(free.Id))!.Operation.Priority);
        // Entity order survives: a2 waits for a1.
        var claimed = await target.ClaimEligibleAsync(10, Clock.GetUtcNow());
        Assert.Equal([a1.Id, free.Id], claimed.Select(o => o.Id));
        Assert.DoesNotContain(a2.Id, claimed.Select(o => o.Id));
    }

    [Fact]
    public async Task Import_into_the_same_workspace_skips_every_existing_id()
    {
        await EnqueueAsync();
        await EnqueueAsync();
        var path = Directory.File("export.json");
        await Queue.ExportAsync(path);

        Assert.Equal(new ImportResult(0, 2), await Queue.ImportAsync(path));
        Assert.Equal(2, (await Queue.GetCountsAsync()).Pending);
    }

    public static TheoryData<string> GarbageFiles() => new()
    {
        "not json at all",
        "[]",
        """{"format":"something-else","version":1,"operations":[]}""",
        """{"format":"offline-sidecar-export","version":3,"operations":[]}""",
        """{"format":"offline-sidecar-export","version":2,"operations":[{"id":"A","type":"a.v1","payload":1,"idempotencyKey":"k","createdAt":"2026-01-01T00:00:00Z","attachments":[{"sha256":"ABC","name":"x","size":1}]}]}""",
        """{"format":"offline-sidecar-export","version":2,"operations":[{"id":"A","type":"a.v1","payload":1,"idempotencyKey":"k","createdAt":"2026-01-01T00:00:00Z","attachments":[{"sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","name":"x","size":1}]}],"blobs":{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":"AA=="}}""",
        """{"format":"offline-sidecar-export","version":1}""",
        """{"format":"offline-sidecar-export","version":1,"operations":[{"id":"A","type":"Bad Type","payload":1,"idempotencyKey":"k","createdAt":"2026-01-01T00:00:00Z"}]}""",
        """{"format":"offline-sidecar-export","version":1,"operations":[{"id":"A","type":"a.v1","idempotencyKey":"k","createdAt":"2026-01-01T00:00:00Z"}]}""",
        """{"format":"offline-sidecar-export","version":1,"operations":[{"id":"A","type":"a.v1","payload":1,"idempotencyKey":"k","createdAt":"yesterday"}]}""",
        """{"format":"offline-sidecar-export","version":1,"operations":[{"id":"A","type":"a.v1","payload":1,"idempotencyKey":"k","priority":"urgent","createdAt":"2026-01-01T00:00:00Z"}]}""",
        """{"format":"offline-sidecar-export","version":1,"operations":[{"id":"A","type":"a.v1","payload":1,"idempotencyKey":"k","expectedVersion":"3","createdAt":"2026-01-01T00:00:00Z"}]}""",
        """{"format":"offline-sidecar-export","version":1,"operations":[42]}""",
    };

    [Theory]
    [MemberData(nameof(GarbageFiles))]
    public async Task Garbage_import_is_refused_without_writing_anything(string content)
    {
        // One valid operation first: a partial import would leave it behind.
        var valid = """{"id":"01VALID","type":"a.v1","payload":1,"idempotencyKey":"k","createdAt":"2026-01-01T00:00:00Z"}""";
        var path = Directory.File("import.json");
        var withValidFirst = content.Replace("\"operations\":[", "\"operations\":[" + valid + ",", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, withValidFirst);

        var refusal = await Assert.ThrowsAsync<QueueException>(() => Queue.ImportAsync(path));

        Assert.Equal(QueueErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal(QueueCounts.Empty, await Queue.GetCountsAsync());
    }

    [Fact]
    public async Task Import_refuses_payloads_over_the_limit()
    {
        var path = Directory.File("import.json");
        var big = new string('x', 2 * 1024 * 1024);
        await File.WriteAllTextAsync(path, $$"""{"format":"offline-sidecar-export","version":1,"operations":[{"id":"A","type":"a.v1","payload":"{{big}}","idempotencyKey":"k","createdAt":"2026-01-01T00:00:00Z"}]}""");

        var refusal = await Assert.ThrowsAsync<QueueException>(() => Queue.ImportAsync(path));

        Assert.Equal(QueueErrorKind.PayloadTooLarge, refusal.Kind);
    }

    [Fact]
    public async Task Import_of_a_missing_file_is_refused()
    {
        var refusal = await Assert.ThrowsAsync<QueueException>(() => Queue.ImportAsync(Directory.File("missing.json")));

        Assert.Equal(QueueErrorKind.InvalidArgument, refusal.Kind);
    }
}
