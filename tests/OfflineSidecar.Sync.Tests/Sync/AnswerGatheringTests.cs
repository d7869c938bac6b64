using NSubstitute;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Sync;

/// <summary>
/// Answers that are already back when the flush loop takes the oldest one are recorded with it in one store call (one
/// writer transaction), in send order, and one claim refills every free slot of the pipeline. Each test runs one
/// <see cref="FlushRun"/> and steps it with the transport's gates: no engine loop, no polling.
/// </summary>
public sealed class AnswerGatheringTests
{
    [Fact]
    public async Task AnswersAlreadyBackAreRecordedTogetherInSendOrderAndOneClaimRefillsThePipeline()
    {
        var h = new FlushRig(o => o with { MaxBatchesInFlight = 8 });
        var result = await DrainWithSendTwoAnsweringLastAsync(h, operations: 100);

        var recorded = RecordCalls(h);
        var sent = h.TransportStub.Sent;
        var expectedTogether = sent.Skip(1).Take(8).SelectMany(b => b.Operations).Select(o => o.Id).ToList();
        Assert.Equal([10, 80, 10], recorded.Select(r => r.Count));
        Assert.Equal(expectedTogether, recorded[1].Select(o => o.Id));
        // One claim of 8 batches after the first answer, one after the eight answers (it finds the last 10).
        Assert.Equal(10, ClaimCalls(h)[0]);
        Assert.Equal(80, ClaimCalls(h)[1]);
        Assert.Equal(80, ClaimCalls(h)[2]);
        Assert.Equal(10, sent.Count);
        Assert.All(sent.Take(9), b => Assert.Equal(10, b.Operations.Count));
        Assert.Equal(100, sent.SelectMany(b => b.Operations).Select(o => o.Id).Distinct().Count());
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(OperationStatus.Succeeded, h.StoreStub.Get($"op{i:D3}").Status));
        var completed = h.Events.Single(e => e.Kind == SyncEventKind.FlushCompleted);
        Assert.Equal((100, 100), (completed.Total, completed.Applied));
        Assert.Equal((FlushEnd.Drained, 100, 100), (result.End, result.Totals.Sent, result.Totals.Applied));
    }

    [Fact]
    public async Task AFailureAmongGatheredAnswersStopsTheFlushButEveryAnswerIsStillRecorded()
    {
        var h = new FlushRig(o => o with { MaxBatchesInFlight = 8 });
        // Send 4 meets a server that is down; the others are applied.
        h.TransportStub.Respond = ops => h.TransportStub.Sent is { Count: >= 4 } sends && ops[0].Id == sends[3].Operations[0].Id
            ? SendBatchResult.ServerError(503, "down")
            : SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);
        var result = await DrainWithSendTwoAnsweringLastAsync(h, operations: 200);

        var sent = h.TransportStub.Sent;
        Assert.Equal(9, sent.Count);
        var recorded = RecordCalls(h);
        Assert.Equal([10, 80], recorded.Select(r => r.Count));
        Assert.Equal(sent.Skip(1).SelectMany(b => b.Operations).Select(o => o.Id), recorded[1].Select(o => o.Id));
        // The failed batch is retried later with its attempt counted; the answers after it were applied by the server.
        Assert.All(sent[3].Operations, o => Assert.Equal(OperationStatus.Pending, h.StoreStub.Get(o.Id).Status));
        Assert.All(sent.Where((_, i) => i != 3).SelectMany(b => b.Operations), o => Assert.Equal(OperationStatus.Succeeded, h.StoreStub.Get(o.Id).Status));
        Assert.Equal(10, h.StoreStub.Outcomes.Count(o => o.NewStatus == OperationStatus.Pending && o.CountsAsAttempt));
        // Nothing was claimed with the stopped record: only the first claim of one batch and the refill of eight.
        Assert.Equal([10, 80], ClaimCalls(h));
        // The loop heard the one stop (it holds the queue and shows the server down); the run returned it with its totals.
        Assert.Equal(503, Assert.Single(h.Owner.Stops).Stop.StatusCode);
        Assert.Equal((FlushEnd.StoppedByServer, 503, 90, 80), (result.End, result.StoppedBy?.StatusCode, result.Totals.Sent, result.Totals.Applied));
    }

    /// <summary>
    /// Send 1 opens the pipeline; sends 2..9 (the full pipeline) are held, the later ones answer first and send 2 last,
    /// so the flush finds sends 3..9 already back when it takes send 2. Returns what the run returned.
    /// </summary>
    private static async Task<FlushResult> DrainWithSendTwoAnsweringLastAsync(FlushRig h, int operations)
    {
        for (var i = 0; i < operations; i++)
        {
            h.StoreStub.Add($"op{i:D3}");
        }

        var gates = Enumerable.Range(0, 10).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        h.TransportStub.GateFor = n => n is >= 2 and <= 9 ? gates[n].Task : null;
        // A failing wait must not leave sends held on their gates: disposing the engine waits for them.
        try
        {
            var run = h.RunAsync();
            await h.TransportStub.WhenSentAsync(9);
            for (var n = 9; n >= 3; n--)
            {
                gates[n].SetResult();
            }

            // Sends 3..9 answered while send 2 is still out.
            await h.TransportStub.WhenAnsweredAsync(8);
            gates[2].SetResult();
            return await run;
        }
        finally
        {
            foreach (var gate in gates)
            {
                gate.TrySetResult();
            }
        }
    }

    private static List<IReadOnlyList<OperationOutcome>> RecordCalls(FlushRig h) => h.StoreStub.Store.ReceivedCalls()
        .Where(c => c.GetMethodInfo().Name == nameof(ISyncStore.ApplyOutcomesAsync))
        .Select(c => (IReadOnlyList<OperationOutcome>)c.GetArguments()[0]!)
        .ToList();

    private static List<int> ClaimCalls(FlushRig h) => h.StoreStub.Store.ReceivedCalls()
        .Where(c => c.GetMethodInfo().Name == nameof(ISyncStore.ClaimEligibleAsync))
        .Select(c => (int)c.GetArguments()[0]!)
        .ToList();
}
