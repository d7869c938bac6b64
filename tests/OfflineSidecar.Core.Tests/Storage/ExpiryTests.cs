using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

/// <summary>Operations that go stale: the expiry is stored absolute (the store's clock), and Retry of an expired one clears it.</summary>
public sealed class ExpiryTests : StoreTestBase
{
    [Fact]
    public async Task A_time_to_live_is_stored_as_an_absolute_expiry_read_from_the_stores_clock_with_the_trace_id()
    {
        var id = (await Queue.EnqueueAsync(new EnqueueRequest { Type = "document.put.v1", PayloadJson = "{}", TimeToLive = TimeSpan.FromMinutes(10), ClientTraceId = "t-1" })).Id;
        Clock.Advance(TimeSpan.FromHours(1));

        var operation = await GetAsync(id);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 10, 0, TimeSpan.Zero), operation.ExpiresAt);
        Assert.Equal("t-1", operation.ClientTraceId);
        Assert.Equal(operation.ExpiresAt, Assert.Single(await Queue.ClaimEligibleAsync(10, Clock.GetUtcNow())).ExpiresAt);
    }

    [Fact]
    public async Task Both_forms_at_once_a_past_expiry_and_a_non_positive_time_to_live_are_refused()
    {
        var now = Clock.GetUtcNow();
        foreach (var request in new[]
                 {
                     new EnqueueRequest { Type = "a.v1", PayloadJson = "{}", ExpiresAt = now.AddHours(1), TimeToLive = TimeSpan.FromHours(1) },
                     new EnqueueRequest { Type = "a.v1", PayloadJson = "{}", ExpiresAt = now },
                     new EnqueueRequest { Type = "a.v1", PayloadJson = "{}", TimeToLive = TimeSpan.Zero },
                     new EnqueueRequest { Type = "a.v1", PayloadJson = "{}", ClientTraceId = "" },
                 })
        {
            var refusal = await Assert.ThrowsAsync<QueueException>(() => Queue.EnqueueAsync(request));
            Assert.Equal(QueueErrorKind.InvalidArgument, refusal.Kind);
        }

        Assert.Equal(0, (await Queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Retry_clears_the_expiry_of_an_expired_operation_only()
    {
        var expiry = Clock.GetUtcNow().AddMinutes(5);
        var expired = (await Queue.EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "{}", EntityId = "e1", ExpiresAt = expiry })).Id;
        var rejected = (await Queue.EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "{}", EntityId = "e2", ExpiresAt = expiry })).Id;
        await ClaimIdsAsync();
        await CompleteAsync(expired, OperationStatus.Failed, "error", new OperationError(SyncErrorCodes.Expired, "expired"));
        await CompleteAsync(rejected, OperationStatus.Failed, "rejected", new OperationError("validation_failed", "no"));

        Assert.Equal(2, await Queue.RetryAsync(null, allFailed: true));

        Assert.Null((await GetAsync(expired)).ExpiresAt);
        Assert.Equal(expiry, (await GetAsync(rejected)).ExpiresAt);
    }
}
