using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Tests.Operations;

public sealed class OperationStateMachineTests
{
    private static readonly HashSet<(OperationStatus, OperationStatus)> Legal =
    [
        (OperationStatus.Pending, OperationStatus.Syncing),
        (OperationStatus.Pending, OperationStatus.Pending),
        (OperationStatus.Syncing, OperationStatus.Pending),
        (OperationStatus.Syncing, OperationStatus.Succeeded),
        (OperationStatus.Syncing, OperationStatus.Failed),
        (OperationStatus.Syncing, OperationStatus.Conflict),
        (OperationStatus.Failed, OperationStatus.Pending),
        (OperationStatus.Conflict, OperationStatus.Pending),
    ];

    public static TheoryData<OperationStatus, OperationStatus> EveryPair()
    {
        var data = new TheoryData<OperationStatus, OperationStatus>();
        foreach (var from in Enum.GetValues<OperationStatus>())
        {
            foreach (var to in Enum.GetValues<OperationStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_pair_is_legal_exactly_when_listed(OperationStatus from, OperationStatus to)
    {
        var legal = Legal.Contains((from, to));

        Assert.Equal(legal, OperationStateMachine.CanMove(from, to));
        if (legal)
        {
            OperationStateMachine.EnsureCanMove(from, to);
        }
        else
        {
            var refusal = Assert.Throws<QueueException>(() => OperationStateMachine.EnsureCanMove(from, to));
            Assert.Equal(QueueErrorKind.InvalidState, refusal.Kind);
        }
    }

    [Fact]
    public void Every_pair_is_covered()
    {
        Assert.Equal(25, EveryPair().Count);
    }

    [Theory]
    [InlineData(OperationStatus.Pending, true)]
    [InlineData(OperationStatus.Syncing, false)]
    [InlineData(OperationStatus.Succeeded, true)]
    [InlineData(OperationStatus.Failed, true)]
    [InlineData(OperationStatus.Conflict, true)]
    public void Delete_is_allowed_from_every_status_but_syncing(OperationStatus status, bool allowed)
    {
        Assert.Equal(allowed, OperationStateMachine.CanDelete(status));
        if (allowed)
        {
            OperationStateMachine.EnsureCanDelete(status);
        }
        else
        {
            Assert.Equal(QueueErrorKind.InvalidState, Assert.Throws<QueueException>(() => OperationStateMachine.EnsureCanDelete(status)).Kind);
        }
    }
}
