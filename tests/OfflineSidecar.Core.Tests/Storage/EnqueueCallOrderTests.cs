using System.Security.Cryptography;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

/// <summary>
/// Enqueues called back to back without waiting for each other's answer (as the JSON-RPC dispatcher calls them) keep
/// the call order per entity and per dedup key, even when the first one still copies its attachment: the source is a
/// named pipe, so its copy waits for the test, and the second call is made while it waits.
/// </summary>
public sealed class EnqueueCallOrderTests : StoreTestBase
{
    [Fact]
    public async Task An_enqueue_called_while_an_earlier_one_of_its_entity_copies_its_attachment_is_queued_after_it()
    {
        var source = FifoFile.Create(Directory.File("slow.bin"));
        var withFile = Queue.EnqueueAsync(Request("doc", "{\"n\":1}") with { Attachments = [new AttachmentSource(source.Path)] });
        var plain = Queue.EnqueueAsync(Request("doc", "{\"n\":2}"));
        // Another entity owes nothing to the copy: it is answered while the copy still waits.
        var unrelated = await Queue.EnqueueAsync(Request("other", "{}")).WaitAsync(TimeSpan.FromSeconds(30));

        await source.Feed(RandomNumberGenerator.GetBytes(4096));
        var first = await withFile;
        var second = await plain;

        Assert.True((await GetAsync(first.Id)).Sequence < (await GetAsync(second.Id)).Sequence);
        Assert.Single((await GetAsync(first.Id)).Attachments);
        Assert.True((await GetAsync(unrelated.Id)).Sequence < (await GetAsync(first.Id)).Sequence);
    }

    [Fact]
    public async Task A_save_called_while_an_earlier_save_of_its_dedup_key_copies_its_attachment_replaces_its_payload()
    {
        var source = FifoFile.Create(Directory.File("slow.bin"));
        var withFile = Queue.EnqueueAsync(
            Request("doc", "{\"n\":1}") with { DedupKey = "doc", Attachments = [new AttachmentSource(source.Path)] });
        var later = Queue.EnqueueAsync(Request("doc", "{\"n\":2}") with { DedupKey = "doc" });

        await source.Feed(RandomNumberGenerator.GetBytes(4096));
        var first = await withFile;
        var second = await later;

        Assert.False(first.Coalesced);
        Assert.True(second.Coalesced);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("{\"n\":2}", (await GetAsync(first.Id)).PayloadJson);
    }

    [Fact]
    public async Task A_refused_copy_does_not_hold_up_the_enqueues_called_after_it()
    {
        var refused = Queue.EnqueueAsync(Request("doc", "{}") with { Attachments = [new AttachmentSource(Directory.File("absent.bin"))] });
        var next = Queue.EnqueueAsync(Request("doc", "{}"));

        Assert.Equal(QueueErrorKind.AttachmentUnreadable, (await Assert.ThrowsAsync<QueueException>(() => refused)).Kind);
        Assert.Equal(OperationStatus.Pending, (await GetAsync((await next).Id)).Status);
        Assert.Equal(1, (await Queue.GetCountsAsync()).Pending);
    }

    private static EnqueueRequest Request(string entityId, string payload) => new()
    {
        Type = "document.put.v1",
        PayloadJson = payload,
        EntityId = entityId,
    };
}
