using NSubstitute;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;
using ConnectivityState = OfflineSidecar.Core.Sync.Connectivity;

namespace OfflineSidecar.Sync.Tests.Sync;

/// <summary>
/// The wall clock set back or forward by hours while the engine waits: schedules kept in memory run on the monotonic
/// clock, so neither stalls nor rushes. (Times stored in rows stay on the wall clock, as they must across restarts.)
/// </summary>
public sealed class WallClockChangeTests
{
    [Theory]
    [InlineData(-3)]
    [InlineData(3)]
    public async Task ProbesKeepTheirBackoffWhenTheWallClockIsSetByHours(int hours)
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        h.TransportStub.Respond = _ => SendBatchResult.NetworkError("connection refused");
        await h.Engine.StartAsync();
        await h.UntilAsync(
            () => h.TransportStub.Sent.Count == 1 && h.Engine.State.Connectivity == ConnectivityState.Unreachable, "unreachable after the failed send");
        h.TransportStub.ProbeSucceeds = false;
        var probesBefore = h.TransportStub.Probes;

        h.Time.SetWallClockBy(TimeSpan.FromHours(hours));
        var changedAt = h.Time.GetUtcNow();
        await h.AdvanceAsync(TimeSpan.FromSeconds(15.5), TimeSpan.FromMilliseconds(100));

        // Probes at +1, +3, +7, +15 s, as without the change (ANetworkFailureGoesUnreachableAndProbesWithBackoff…).
        var seconds = h.TransportStub.ProbeTimes.Skip(probesBefore).Select(t => Math.Round((t - changedAt).TotalSeconds)).ToArray();
        Assert.Equal([1, 3, 7, 15], seconds);
    }

    [Fact]
    public async Task ARetryAfterHoldEndsOnTimeWhenTheWallClockIsSetBack()
    {
        await using var h = new EngineHarness(o => o with { BatchSize = 1 });
        h.StoreStub.Add("a");
        h.StoreStub.Add("b");
        var throttled = true;
        h.TransportStub.Respond = ops => throttled
            ? SendBatchResult.Throttled(429, TimeSpan.FromSeconds(10), "slow down")
            : SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.StoreStub.Outcomes.Count == 1, "the throttled attempt was recorded");
        throttled = false;

        h.Time.SetWallClockBy(TimeSpan.FromHours(-2));
        await h.AdvanceAsync(TimeSpan.FromSeconds(9.5), TimeSpan.FromMilliseconds(250));
        Assert.Single(h.TransportStub.Sent);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));

        // "b" waited only for the queue's hold (in memory); "a" keeps its stored next attempt, on the wall clock.
        await h.UntilAsync(() => h.StoreStub.Get("b").Status == OperationStatus.Succeeded, "b sent once the 10 s hold ran out");
    }

    [Fact]
    public async Task TheLastSyncIsAMonotonicTimestampThatAWallClockChangeDoesNotMove()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");
        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.LastSyncedTimestamp is not null, "synced");
        var stamp = h.Engine.State.LastSyncedTimestamp!.Value;

        h.Time.SetWallClockBy(TimeSpan.FromHours(5));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMinutes(1), h.Time.GetElapsedTime(stamp));
    }

    [Fact]
    public async Task ClockReadingsFromTheTransportBecomeTheStateAndAreStored()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Store.GetServerClockAsync(default).ReturnsForAnyArgs(
            Task.FromResult<ServerClockEstimate?>(new ServerClockEstimate(TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(3), h.Time.GetUtcNow())));
        await h.Engine.StartAsync();
        Assert.Equal(TimeSpan.FromMinutes(-5), h.Engine.State.ServerClock!.LocalAhead);
        // The engine listens to the transport it built in its loop; the first probe says it has.
        await h.UntilAsync(() => h.TransportStub.Probes > 0, "the transport was built");

        var sentAt = h.Time.GetUtcNow();
        h.TransportStub.Transport.ClockSampled += Raise.Event<EventHandler<ServerClockSample>>(
            h.TransportStub.Transport,
            new ServerClockSample(sentAt - TimeSpan.FromHours(2) + TimeSpan.FromMilliseconds(10), TimeSpan.Zero, sentAt, TimeSpan.FromMilliseconds(20)));
        h.Engine.Wake();

        await h.UntilAsync(() => h.Engine.State.ServerClock?.Offset == TimeSpan.FromHours(-2), "the reading replaced the stored estimate");
        await h.UntilAsync(
            () => h.StoreStub.Store.ReceivedCalls().Any(c => c.GetMethodInfo().Name == nameof(ISyncStore.SaveServerClockAsync)
                && ((ServerClockEstimate)c.GetArguments()[0]!).Offset == TimeSpan.FromHours(-2)),
            "the estimate was stored");
    }
}
