using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class EnqueueValidationTests : StoreTestBase
{
    [Theory]
    [InlineData("document.put.v1")]
    [InlineData("a.v0")]
    [InlineData("noteBook.cellEdit.v12")]
    public async Task Versioned_types_are_accepted(string type)
    {
        var result = await Queue.EnqueueAsync(new EnqueueRequest { Type = type, PayloadJson = "{}" });

        Assert.Equal(type, (await GetAsync(result.Id)).Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("document.put")]
    [InlineData("Document.put.v1")]
    [InlineData("document..v1")]
    [InlineData("document.put.V1")]
    [InlineData("document.put.v1 ")]
    [InlineData("document-put.v1")]
    [InlineData("1doc.v1")]
    public async Task Unversioned_or_malformed_types_are_refused(string type)
    {
        var refusal = await Assert.ThrowsAsync<QueueException>(() => Queue.EnqueueAsync(new EnqueueRequest { Type = type, PayloadJson = "{}" }));

        Assert.Equal(QueueErrorKind.InvalidArgument, refusal.Kind);
        Assert.StartsWith("type:", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("{'a':1}")]
    [InlineData("undefined")]
    public async Task Invalid_json_payloads_are_refused(string payload)
    {
        var refusal = await Assert.ThrowsAsync<QueueException>(() => EnqueueAsync(payload: payload));

        Assert.Equal(QueueErrorKind.InvalidArgument, refusal.Kind);
        Assert.StartsWith("payload:", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payload_over_the_limit_is_refused_and_the_limit_is_exact()
    {
        var store = Open(new StoreOptions { DatabasePath = Directory.File("small.db"), MaxPayloadBytes = 100 });
        var queue = store.Workspace("ws");
        var exactly = "\"" + new string('é', 49) + "\"";

        await EnqueueAsync(queue, payload: exactly);
        var refusal = await Assert.ThrowsAsync<QueueException>(() => EnqueueAsync(queue, payload: "\"" + new string('x', 99) + "\""));

        Assert.Equal(QueueErrorKind.PayloadTooLarge, refusal.Kind);
        Assert.Equal(1, (await queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Default_limit_is_one_mebibyte_and_can_be_changed_at_runtime()
    {
        var justOver = "\"" + new string('x', StoreOptions.DefaultMaxPayloadBytes - 1) + "\"";

        var refusal = await Assert.ThrowsAsync<QueueException>(() => EnqueueAsync(payload: justOver));
        Store.ApplySettings(SynchronousMode.Normal, StoreOptions.DefaultMaxPayloadBytes * 2);
        await EnqueueAsync(payload: justOver);

        Assert.Equal(QueueErrorKind.PayloadTooLarge, refusal.Kind);
        Assert.Equal(StoreOptions.DefaultMaxPayloadBytes + 1, (await Queue.ListAsync(new ListQuery())).Items[0].PayloadBytes);
    }

    [Fact]
    public async Task Keys_longer_than_512_characters_are_refused()
    {
        var tooLong = new string('k', 513);

        var entity = await Assert.ThrowsAsync<QueueException>(() => EnqueueAsync(entityId: tooLong));
        var dedup = await Assert.ThrowsAsync<QueueException>(() => EnqueueAsync(dedupKey: tooLong));
        var idempotency = await Assert.ThrowsAsync<QueueException>(() =>
            Queue.EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "1", IdempotencyKey = tooLong }));
        await EnqueueAsync(entityId: new string('k', 512));

        Assert.All([entity, dedup, idempotency], e => Assert.Equal(QueueErrorKind.InvalidArgument, e.Kind));
        Assert.Equal(1, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Idempotency_key_defaults_to_the_id_and_a_given_one_is_kept()
    {
        var defaulted = await EnqueueAsync();
        var given = await Queue.EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "1", IdempotencyKey = "client-key-1" });

        Assert.Equal(defaulted.Id, (await GetAsync(defaulted.Id)).IdempotencyKey);
        Assert.Equal("client-key-1", (await GetAsync(given.Id)).IdempotencyKey);
    }

    [Fact]
    public async Task Stored_operation_keeps_every_field()
    {
        var result = await Queue.EnqueueAsync(new EnqueueRequest
        {
            Type = "document.put.v1",
            PayloadJson = """{"t":"é"}""",
            EntityId = "doc-1",
            DedupKey = "doc-1:title",
            ExpectedVersion = 9,
            Priority = Core.Operations.OperationPriority.Low,
        });

        var stored = await GetAsync(result.Id);

        Assert.False(result.Coalesced);
        Assert.Equal(26, result.Id.Length);
        Assert.Equal("ws", stored.WorkspaceId);
        Assert.Equal("doc-1", stored.EntityId);
        Assert.Equal("doc-1:title", stored.DedupKey);
        Assert.Equal(9, stored.ExpectedVersion);
        Assert.Equal(Core.Operations.OperationPriority.Low, stored.Priority);
        Assert.Equal(10, stored.PayloadBytes);
        Assert.Equal(Clock.GetUtcNow(), stored.CreatedAt);
        Assert.Equal(Clock.GetUtcNow(), stored.UpdatedAt);
        Assert.Equal(0, stored.Attempts);
        Assert.Null(stored.LastError);
    }
}
