using System.Security.Cryptography;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Salvage;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

/// <summary>
/// A damaged store is moved aside and its unfinished operations are put back, each with its original id and
/// idempotency key (so the server answers "duplicate" for one it already applied). Real files, damaged the way a disk
/// damages them.
/// </summary>
public sealed class SalvageTests : StoreTestBase
{
    private const int Operations = 600;
    private const int PageSize = 4096;

    private sealed record Original(string Id, string Key, string Workspace, string Payload, int Status);

    [Fact]
    public async Task Unfinished_operations_outside_the_damaged_pages_come_back_with_their_keys()
    {
        var originals = await FillAsync();
        await Store.DisposeAsync();
        DamageMiddlePages(DatabasePath, from: 0.5, pages: 3);

        var store = Open(new StoreOptions { DatabasePath = DatabasePath });

        var report = store.OpenReport;
        Assert.True(report.RecoveredFromCorruption);
        var salvage = Assert.IsType<SalvageReport>(report.Salvage);
        var unfinished = originals.Values.Where(o => o.Status != (int)OperationStatus.Succeeded).ToList();
        Assert.Equal(salvage.Recovered, salvage.Reimported);
        Assert.Equal(unfinished.Count, salvage.Recovered + salvage.Lost);
        Assert.True(salvage.Lost > 0, "the damaged pages held operations");
        Assert.True(salvage.Recovered > unfinished.Count / 2, $"{salvage.Recovered} of {unfinished.Count}");

        var queue = store.Workspace("ws");
        var back = await AllAsync(queue);
        Assert.Equal(salvage.Recovered, back.Count);
        foreach (var listed in back)
        {
            var operation = (await queue.GetAsync(listed.Id))!.Operation;
            var original = originals[operation.Id];
            Assert.Equal(original.Key, operation.IdempotencyKey);
            Assert.Equal(original.Payload, operation.PayloadJson);
            Assert.NotEqual((int)OperationStatus.Succeeded, original.Status);
            Assert.Equal(OperationStatus.Pending, operation.Status);
        }

        // Rows after the damaged pages are read too, not only those before it: the last one enqueued is back.
        Assert.Contains(back, o => o.Id == originals.Values.Last().Id);
        // Per-entity order is the original order.
        foreach (var entity in back.GroupBy(o => o.EntityId))
        {
            var order = entity.Select(o => o.Id).ToList();
            Assert.Equal(order.Order(StringComparer.Ordinal), order);
        }
    }

    [Fact]
    public async Task An_operations_attachment_comes_back_with_it_and_survives_the_start_up_sweep()
    {
        var file = Directory.File("photo.bin");
        var content = RandomNumberGenerator.GetBytes(3000);
        await File.WriteAllBytesAsync(file, content);
        var withFile = await Queue.EnqueueAsync(new EnqueueRequest
        {
            Type = "document.put.v1", PayloadJson = "{}", EntityId = "photo", Attachments = [new AttachmentSource(file)],
        });
        await FillAsync();
        await Store.DisposeAsync();
        DamageMiddlePages(DatabasePath, from: 0.6, pages: 2);

        var store = Open(new StoreOptions { DatabasePath = DatabasePath });
        await store.CollectOrphanBlobsAsync();

        var back = (await store.Workspace("ws").GetAsync(withFile.Id))!.Operation;
        var attachment = Assert.Single(back.Attachments);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), attachment.Sha256);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(Directory.Path, "attachments", attachment.Sha256)));
    }

    [Fact]
    public async Task Salvaging_the_same_file_again_adds_nothing()
    {
        await FillAsync();
        await Store.DisposeAsync();
        DamageMiddlePages(DatabasePath, from: 0.5, pages: 3);
        var store = Open(new StoreOptions { DatabasePath = DatabasePath });
        var first = store.OpenReport.Salvage!;

        var again = store.Salvage(store.OpenReport.MovedAsidePath!);

        Assert.Equal(first.Recovered, again.Recovered);
        Assert.Equal(0, again.Reimported);
        Assert.Equal(first.Recovered, again.AlreadyQueued);
        Assert.Equal(first.Recovered, (await store.Workspace("ws").GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task A_file_with_nothing_readable_salvages_nothing_and_says_the_loss_is_unknown()
    {
        await Store.DisposeAsync();
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);
        "SQLite format 3\0"u8.CopyTo(garbage);
        await File.WriteAllBytesAsync(DatabasePath, garbage);

        var store = Open(new StoreOptions { DatabasePath = DatabasePath });

        var salvage = Assert.IsType<SalvageReport>(store.OpenReport.Salvage);
        Assert.Equal(0, salvage.Recovered);
        Assert.Null(salvage.Lost);
        Assert.Contains("unknown", salvage.Describe(), StringComparison.Ordinal);
    }

    /// <summary>Operations over 30 entities with ~1 KB payloads (so rows fill many pages); some succeeded, some failed.</summary>
    private async Task<Dictionary<string, Original>> FillAsync()
    {
        var ids = new List<string>();
        for (var i = 0; i < Operations; i++)
        {
            var payload = $"{{\"n\":{i},\"text\":\"{new string((char)('a' + (i % 26)), 1000)}\"}}";
            ids.Add((await EnqueueAsync(entityId: $"e{i % 30}", payload: payload)).Id);
        }

        foreach (var id in await ClaimIdsAsync(40))
        {
            await CompleteAsync(id, ids.IndexOf(id) % 2 == 0 ? OperationStatus.Succeeded : OperationStatus.Failed, "rejected");
        }

        using var connection = SqliteFile.Open(DatabasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, idempotency_key, workspace, payload, status FROM operations ORDER BY seq;";
        using var rows = command.ExecuteReader();
        var originals = new Dictionary<string, Original>();
        while (rows.Read())
        {
            originals[rows.GetString(0)] = new Original(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetString(3), rows.GetInt32(4));
        }

        return originals;
    }

    private static async Task<List<Operation>> AllAsync(SqliteWorkspaceStore queue)
    {
        var all = new List<Operation>();
        var query = new ListQuery();
        while (true)
        {
            var page = await queue.ListAsync(query);
            all.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                return all;
            }

            query = query with { Cursor = page.NextCursor };
        }
    }

    /// <summary>Garbage over whole pages at a fraction of the file, as a torn or rotten sector range would leave them.</summary>
    private static void DamageMiddlePages(string path, double from, int pages)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 40 * PageSize, $"{bytes.Length} bytes: too small to damage a middle page");
        var first = (int)(bytes.Length / PageSize * from) * PageSize;
        var random = new Random(11);
        random.NextBytes(bytes.AsSpan(first, pages * PageSize));
        File.WriteAllBytes(path, bytes);
        Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0, "a closed store leaves no WAL behind");
    }
}
