using NSubstitute;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Sync;

/// <summary>
/// One flush, awaited directly: what ended it, its totals and what it told its owner (the loop), against the store
/// and transport stubs. One batch in flight at a time unless a test says otherwise, so the order of sends is fixed.
/// </summary>
public sealed class FlushRunTests
{
    [Fact]
    public async Task NothingEligibleBeginsNothing()
    {
        var rig = new FlushRig();
        rig.StoreStub.Add("later", nextAttemptAt: rig.Time.GetUtcNow().AddMinutes(5));

        var result = await rig.RunAsync();

        Assert.Equal(FlushEnd.NothingToSend, result.End);
        Assert.False(result.Ran);
        Assert.Empty(rig.TransportStub.Sent);
        Assert.Empty(rig.Events);
    }

    [Fact]
    public async Task DrainsTheQueueInBatchesAndReturnsItsTotals()
    {
        var rig = new FlushRig(o => o with { MaxBatchesInFlight = 1 });
        for (var i = 0; i < 25; i++)
        {
            rig.StoreStub.Add($"op{i:D2}");
        }

        var result = await rig.RunAsync();

        Assert.Equal(FlushEnd.Drained, result.End);
        Assert.Null(result.StoppedBy);
        Assert.Equal((25, 25, 0), (result.Totals.Sent, result.Totals.Applied, result.Totals.Deferred));
        Assert.Equal([10, 10, 5], rig.TransportStub.Sent.Select(b => b.Operations.Count));
        Assert.Equal(3, rig.Owner.Answered.Count);
        Assert.Empty(rig.Owner.Stops);
        Assert.All(Enumerable.Range(0, 25), i => Assert.Equal(OperationStatus.Succeeded, rig.StoreStub.Get($"op{i:D2}").Status));
        Assert.Equal([SyncEventKind.FlushStarted, SyncEventKind.FlushCompleted], rig.Events.Select(e => e.Kind));
        Assert.False(rig.Status.Syncing);
    }

    [Fact]
    public async Task A503StopsTheRunWhichReturnsThatStopAndTheTotalsSoFar()
    {
        var rig = new FlushRig(o => o with { MaxBatchesInFlight = 1 });
        for (var i = 0; i < 30; i++)
        {
            rig.StoreStub.Add($"op{i:D2}");
        }

        rig.TransportStub.Respond = ops => rig.TransportStub.Sent.Count == 2
            ? SendBatchResult.ServerError(503, "down")
            : SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);

        var result = await rig.RunAsync();

        Assert.Equal(FlushEnd.StoppedByServer, result.End);
        Assert.Equal(503, result.StoppedBy?.StatusCode);
        // The first batch applied, the second goes back to pending with its attempt counted, the third was never sent.
        Assert.Equal((20, 10, 10), (result.Totals.Sent, result.Totals.Applied, result.Totals.Deferred));
        Assert.Equal(2, rig.TransportStub.Sent.Count);
        Assert.All(Enumerable.Range(20, 10), i => Assert.Equal((OperationStatus.Pending, 0), (rig.StoreStub.Get($"op{i:D2}").Status, rig.StoreStub.Get($"op{i:D2}").Attempts)));
        Assert.All(Enumerable.Range(10, 10), i => Assert.Equal((OperationStatus.Pending, 1), (rig.StoreStub.Get($"op{i:D2}").Status, rig.StoreStub.Get($"op{i:D2}").Attempts)));
        // The owner heard the stop once, when it came, and only the answer before it as a good one.
        Assert.Equal(503, Assert.Single(rig.Owner.Stops).Stop.StatusCode);
        Assert.Single(rig.Owner.Answered);
        var completed = rig.Events.Single(e => e.Kind == SyncEventKind.FlushCompleted);
        Assert.Equal((20, 10), (completed.Total, completed.Applied));
    }

    [Fact]
    public async Task AnAuthFailureReturnsTheCredentialsGenerationItsBatchWasSentWith()
    {
        var rig = new FlushRig(o => o with { MaxBatchesInFlight = 1 });
        rig.Credentials.Set("old-token");
        var sentWith = rig.Credentials.Generation;
        rig.StoreStub.Add("op1");
        rig.TransportStub.Respond = _ =>
        {
            // New credentials arrive while the request is on the wire: its refusal is about the old ones.
            rig.Credentials.Set("new-token");
            return SendBatchResult.AuthFailed(401, "who are you");
        };

        var result = await rig.RunAsync();

        Assert.Equal(FlushEnd.StoppedByServer, result.End);
        Assert.Equal(SendBatchResultKind.AuthFailed, result.StoppedBy?.Kind);
        Assert.Equal(sentWith, result.Credentials);
        Assert.NotEqual(rig.Credentials.Generation, result.Credentials);
        Assert.Equal(sentWith, Assert.Single(rig.Owner.Stops).Credentials);
        Assert.Equal("old-token", Assert.Single(rig.TransportStub.Sent).Token);
        Assert.Empty(rig.Owner.Answered);
    }

    [Fact]
    public async Task WhenTheOwnerNoLongerAllowsSendingTheRunEndsAndLeavesNothingClaimed()
    {
        var rig = new FlushRig(o => o with { MaxBatchesInFlight = 1 });
        for (var i = 0; i < 30; i++)
        {
            rig.StoreStub.Add($"op{i:D2}");
        }

        // The lease is lost once the first batch is answered.
        rig.Owner.Allowed = () => rig.TransportStub.Answered == 0;

        var result = await rig.RunAsync();

        Assert.Equal(FlushEnd.NoLongerAllowed, result.End);
        Assert.Equal(10, result.Totals.Sent);
        Assert.Single(rig.TransportStub.Sent);
        Assert.All(Enumerable.Range(10, 20), i => Assert.Equal(OperationStatus.Pending, rig.StoreStub.Get($"op{i:D2}").Status));
        Assert.Equal(1, rig.Events.Count(e => e.Kind == SyncEventKind.FlushCompleted));
    }

    [Fact]
    public async Task APipelineOfFourSendsOneBatchFirstThenFillsEverySlot()
    {
        var rig = new FlushRig(o => o with { MaxBatchesInFlight = 4 });
        for (var i = 0; i < 100; i++)
        {
            rig.StoreStub.Add($"op{i:D3}");
        }

        var result = await rig.RunAsync();

        Assert.Equal(FlushEnd.Drained, result.End);
        Assert.Equal(100, result.Totals.Applied);
        Assert.Equal(10, rig.TransportStub.Sent.Count);
        Assert.Equal(100, rig.TransportStub.Sent.SelectMany(b => b.Operations).Select(o => o.Id).Distinct().Count());
        // One batch tests the water; its good answer opens the pipeline, and one claim fills all four slots.
        var claims = rig.StoreStub.Store.ReceivedCalls()
            .Where(c => c.GetMethodInfo().Name == nameof(ISyncStore.ClaimEligibleAsync))
            .Select(c => (int)c.GetArguments()[0]!)
            .ToList();
        Assert.Equal([10, 40], claims.Take(2));
    }
}
