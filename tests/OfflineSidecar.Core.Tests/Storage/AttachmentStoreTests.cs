using System.Security.Cryptography;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

/// <summary>The attachments' content-addressed files beside a real database file: when they come and when they go.</summary>
public sealed class AttachmentStoreTests : StoreTestBase
{
    [Fact]
    public async Task A_coalesced_save_carries_the_new_files_and_the_replaced_one_is_swept()
    {
        var (first, firstSha) = File("first.bin", 100);
        var (second, secondSha) = File("second.bin", 200);
        var original = await EnqueueWithAsync("doc", dedupKey: "doc", new AttachmentSource(first));
        var coalesced = await EnqueueWithAsync("doc", dedupKey: "doc", new AttachmentSource(second, "renamed.bin", "application/octet-stream"));
        await AfterSweepAsync();

        Assert.True(coalesced.Coalesced);
        Assert.Equal(original.Id, coalesced.Id);
        Assert.Equal([new OperationAttachment(secondSha, "renamed.bin", "application/octet-stream", 200)], (await GetAsync(original.Id)).Attachments);
        Assert.False(System.IO.File.Exists(BlobPath(firstSha)));
        Assert.True(System.IO.File.Exists(BlobPath(secondSha)));
    }

    [Fact]
    public async Task Shared_content_stays_until_the_last_unfinished_operation_that_needs_it_goes()
    {
        var (path, sha) = File("shared.bin", 500);
        var succeeds = await EnqueueWithAsync("a", null, new AttachmentSource(path));
        var discarded = await EnqueueWithAsync("b", null, new AttachmentSource(path));
        var cleared = await EnqueueWithAsync("c", null, new AttachmentSource(path));
        await ClaimIdsAsync();

        await CompleteAsync(succeeds.Id, OperationStatus.Succeeded);
        await CompleteAsync(discarded.Id, OperationStatus.Failed, "rejected", new OperationError("no", "no"));
        await CompleteAsync(cleared.Id, OperationStatus.Failed, "rejected", new OperationError("no", "no"));
        await Queue.DiscardAsync([discarded.Id]);
        await AfterSweepAsync();
        var keptWhileOneNeedsIt = System.IO.File.Exists(BlobPath(sha));
        await Queue.ClearAsync([OperationStatus.Failed]);
        await AfterSweepAsync();

        Assert.True(keptWhileOneNeedsIt);
        Assert.False(System.IO.File.Exists(BlobPath(sha)));
        Assert.Single((await GetAsync(succeeds.Id)).Attachments);
    }

    [Fact]
    public async Task Collecting_orphans_deletes_unreferenced_blobs_and_staging_copies_of_ended_processes_only()
    {
        var (path, kept) = File("kept.bin", 300);
        await EnqueueWithAsync("doc", null, new AttachmentSource(path));
        var orphan = RandomNumberGenerator.GetBytes(64);
        var orphanPath = BlobPath(Convert.ToHexStringLower(SHA256.HashData(orphan)));
        await System.IO.File.WriteAllBytesAsync(orphanPath, orphan);
        var staging = Path.Combine(Path.GetDirectoryName(orphanPath)!, "staging");
        // A pid that cannot run (above the kernel's pid_max) stands for a process that ended mid-enqueue.
        var ended = Path.Combine(staging, $"{Environment.MachineName}~2147483646~{Guid.NewGuid():N}~{Guid.NewGuid():N}.tmp");
        var live = Path.Combine(staging, $"{Environment.MachineName}~{Environment.ProcessId}~{Guid.NewGuid():N}~{Guid.NewGuid():N}.tmp");
        await System.IO.File.WriteAllTextAsync(ended, "x");
        await System.IO.File.WriteAllTextAsync(live, "x");

        var deleted = await Store.CollectOrphanBlobsAsync();

        Assert.Equal(2, deleted);
        Assert.False(System.IO.File.Exists(orphanPath));
        Assert.False(System.IO.File.Exists(ended));
        Assert.True(System.IO.File.Exists(live));
        Assert.True(System.IO.File.Exists(BlobPath(kept)));
    }

    [Fact]
    public async Task Collecting_thousands_of_orphans_deletes_every_one_and_only_them()
    {
        var kept = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (path, sha) = File($"kept-{i}.bin", 100 + i);
            await EnqueueWithAsync($"doc-{i}", null, new AttachmentSource(path));
            kept.Add(sha);
        }

        var (donePath, doneSha) = File("done.bin", 50);
        var done = await EnqueueWithAsync("done", null, new AttachmentSource(donePath));
        await ClaimIdsAsync();
        await CompleteAsync(done.Id, OperationStatus.Succeeded);
        await AfterSweepAsync();
        // More than two statements' worth, so the needed blobs fall in any of them.
        var orphans = Enumerable.Range(0, (2 * Core.Storage.Attachments.AttachmentRows.CheckBatch) + 500)
            .Select(_ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)))
            .ToList();
        foreach (var orphan in orphans.Append(doneSha))
        {
            await System.IO.File.WriteAllBytesAsync(BlobPath(orphan), [1]);
        }

        var deleted = await Store.CollectOrphanBlobsAsync();

        Assert.Equal(orphans.Count + 1, deleted);
        var left = System.IO.Directory.GetFiles(Path.GetDirectoryName(BlobPath(doneSha))!).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(kept.Order(StringComparer.Ordinal), left);
    }

    [Fact]
    public async Task An_unreadable_or_too_large_file_refuses_the_enqueue_and_leaves_nothing_behind()
    {
        var store = Open(new Core.Storage.StoreOptions { DatabasePath = Directory.File("small.db"), MaxAttachmentBytes = 1000 });
        var queue = store.Workspace("ws");
        var (large, _) = File("large.bin", 1001);

        var missing = await Assert.ThrowsAsync<QueueException>(() => queue.EnqueueAsync(Request("a", Directory.File("absent.bin"))));
        var tooLarge = await Assert.ThrowsAsync<QueueException>(() => queue.EnqueueAsync(Request("b", large)));

        Assert.Equal(QueueErrorKind.AttachmentUnreadable, missing.Kind);
        Assert.StartsWith("attachments[0].path: cannot read", missing.Message, StringComparison.Ordinal);
        Assert.Equal(QueueErrorKind.AttachmentTooLarge, tooLarge.Kind);
        Assert.Equal(QueueCounts.Empty, await queue.GetCountsAsync());
        var attachments = Path.Combine(Directory.Path, "attachments");
        Assert.Empty(System.IO.Directory.Exists(attachments) ? System.IO.Directory.GetFiles(attachments, "*", SearchOption.AllDirectories) : []);
    }

    private Task<EnqueueResult> EnqueueWithAsync(string entityId, string? dedupKey, AttachmentSource attachment) =>
        Queue.EnqueueAsync(Request(entityId, attachment.Path) with { DedupKey = dedupKey, Attachments = [attachment] });

    private static EnqueueRequest Request(string entityId, string path) => new()
    {
        Type = "document.put.v1",
        PayloadJson = "{}",
        EntityId = entityId,
        Attachments = [new AttachmentSource(path)],
    };

    /// <summary>A sweep is queued on the writer before the releasing write is answered; a write after it runs after it.</summary>
    private Task AfterSweepAsync() => Queue.RecoverInterruptedAsync();

    private (string Path, string Sha256) File(string name, int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        var path = Directory.File(name);
        System.IO.File.WriteAllBytes(path, content);
        return (path, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    private string BlobPath(string sha256) => Path.Combine(Path.GetDirectoryName(DatabasePath)!, "attachments", sha256);
}
