using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Tests.TestSupport;
using OfflineSidecar.Testing;

namespace OfflineSidecar.Core.Tests.Storage;

/// <summary>The server-clock estimate on a real file, and the server-time equivalent each operation gets from it.</summary>
public sealed class ServerClockStorageTests : StoreTestBase
{
    private static readonly ServerClockEstimate TwoHoursBehind = new(TimeSpan.FromHours(-2), TimeSpan.FromMilliseconds(4), new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Operations_carry_their_time_on_the_server_clock_once_an_estimate_is_stored()
    {
        var before = await EnqueueAsync("doc-1");
        await Queue.SaveServerClockAsync(TwoHoursBehind);
        var after = await EnqueueAsync("doc-2");

        Assert.Null((await GetAsync(before.Id)).ServerCreatedAt);
        var operation = await GetAsync(after.Id);
        Assert.Equal(operation.CreatedAt - TimeSpan.FromHours(2), operation.ServerCreatedAt);
        Assert.Equal(operation.ServerCreatedAt, (await Queue.ListAsync(new ListQuery(Limit: 10))).Items.Single(o => o.Id == after.Id).ServerCreatedAt);
    }

    [Fact]
    public async Task The_estimate_survives_a_restart_and_stays_with_its_partition()
    {
        await Queue.SaveServerClockAsync(TwoHoursBehind);
        await Queue.SaveServerClockAsync(TwoHoursBehind with { Offset = TimeSpan.FromMinutes(3) });

        var reopened = await ReopenAsync();

        Assert.Equal(TimeSpan.FromMinutes(3), (await reopened.GetServerClockAsync())!.Offset);
        Assert.Equal(TwoHoursBehind.MeasuredAt, (await reopened.GetServerClockAsync())!.MeasuredAt);
        Assert.Null(await Store.Workspace("other").GetServerClockAsync());
    }

    [Fact]
    public async Task Delivery_order_is_enqueue_order_whatever_either_clock_says()
    {
        await Queue.SaveServerClockAsync(TwoHoursBehind);
        var first = await EnqueueAsync("doc-1");
        // The user sets the machine's clock back an hour: the next operation is "older" by both clocks.
        Clock.SetWallClockBy(TimeSpan.FromHours(-1));
        var second = await EnqueueAsync("doc-2");
        var third = await EnqueueAsync("doc-1");

        Assert.True((await GetAsync(second.Id)).ServerCreatedAt < (await GetAsync(first.Id)).ServerCreatedAt);
        Assert.Equal([first.Id, second.Id], await ClaimIdsAsync());
        Assert.Equal([first.Id, second.Id, third.Id], (await Queue.ListAsync(new ListQuery(Limit: 10))).Items.Select(o => o.Id));
    }
}
