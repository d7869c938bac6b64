using NSubstitute;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>
/// An NSubstitute'd <see cref="ISyncStore"/> whose answers come from a small in-memory table, so engine tests can
/// assert on what the engine asked the store to do (claims, outcomes, lease calls) and on what it then claimed again.
/// </summary>
internal sealed class StoreStub
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Operation> rows = new(StringComparer.Ordinal);
    private readonly List<OperationOutcome> outcomes = [];
    private long stamp = 1;

    public StoreStub()
    {
        Store.WorkspaceId.Returns("ws-1");
        Store.TryAcquireLeaseAsync(default!, default, default, default).ReturnsForAnyArgs(ci =>
            LeaseAnswer ?? Task.FromResult(LeaseRule?.Invoke(ci.ArgAt<string>(0), ci.ArgAt<TimeSpan>(1), ci.ArgAt<DateTimeOffset>(2)) ?? LeaseGranted));
        Store.ClaimEligibleAsync(default, default, default).ReturnsForAnyArgs(ci => Task.FromResult(Claim(ci.ArgAt<int>(0), ci.ArgAt<DateTimeOffset>(1))));
        Store.ReleaseUnsentAsync(default!, default).ReturnsForAnyArgs(ci => Task.FromResult(Release(ci.ArgAt<IReadOnlyList<Operation>>(0))));
        Store.HasEligibleAsync(default, default).ReturnsForAnyArgs(ci => Task.FromResult(Eligible(ci.ArgAt<DateTimeOffset>(0)).Any()));
        Store.GetNextDueAtAsync(default).ReturnsForAnyArgs(_ => Task.FromResult(NextDue()));
        Store.ApplyOutcomesAsync(default!, default).ReturnsForAnyArgs(ci =>
        {
            Apply(ci.ArgAt<IReadOnlyList<OperationOutcome>>(0));
            return Task.CompletedTask;
        });
        Store.GetCountsAsync(default).ReturnsForAnyArgs(_ => Task.FromResult(Counts()));
        Store.GetChangeStampAsync(default).ReturnsForAnyArgs(_ => Task.FromResult(Interlocked.Read(ref stamp)));
        Store.RecoverInterruptedAsync(default).ReturnsForAnyArgs(_ => Task.FromResult(0));
        Store.PruneSucceededAsync(default, default).ReturnsForAnyArgs(_ => Task.FromResult(0));
    }

    public ISyncStore Store { get; } = Substitute.For<ISyncStore>();

    public volatile bool LeaseGranted = true;

    /// <summary>When set (and <see cref="LeaseAnswer"/> is not), decides lease calls (owner, duration, now) instead of
    /// <see cref="LeaseGranted"/>: lets a test play a lease row with an expiry.</summary>
    public Func<string, TimeSpan, DateTimeOffset, bool>? LeaseRule { get; set; }

    /// <summary>When set, lease calls wait for this answer: a store too busy to renew in time.</summary>
    public Task<bool>? LeaseAnswer { get; set; }

    public IReadOnlyList<OperationOutcome> Outcomes
    {
        get
        {
            lock (gate)
            {
                return [.. outcomes];
            }
        }
    }

    public Operation Add(string id, int attempts = 0, DateTimeOffset? nextAttemptAt = null, string? payload = null)
    {
        var operation = new Operation
        {
            Id = id,
            WorkspaceId = "ws-1",
            Type = "document.put.v1",
            EntityId = "entity-" + id,
            PayloadJson = payload ?? "{\"n\":1}",
            IdempotencyKey = "key-" + id,
            Attempts = attempts,
            NextAttemptAt = nextAttemptAt,
            Sequence = rows.Count + 1,
        };
        lock (gate)
        {
            rows[id] = operation;
        }

        Interlocked.Increment(ref stamp);
        Changed.Fire();
        return operation;
    }

    public Operation Get(string id)
    {
        lock (gate)
        {
            return rows[id];
        }
    }

    public void Touch()
    {
        Interlocked.Increment(ref stamp);
        Changed.Fire();
    }

    /// <summary>Fires after every change of a row (added, claimed, released, answered) or of the stamp.</summary>
    public Pulse Changed { get; } = new();

    private List<Operation> Eligible(DateTimeOffset now)
    {
        lock (gate)
        {
            return [.. rows.Values.Where(o => o.Status == OperationStatus.Pending && !(o.NextAttemptAt > now)).OrderBy(o => o.Sequence)];
        }
    }

    private IReadOnlyList<Operation> Claim(int max, DateTimeOffset now)
    {
        var claimed = Eligible(now).Take(max).ToList();
        lock (gate)
        {
            foreach (var operation in claimed)
            {
                rows[operation.Id] = operation with { Status = OperationStatus.Syncing };
            }
        }

        Interlocked.Increment(ref stamp);
        Changed.Fire();
        return claimed;
    }

    private int Release(IReadOnlyList<Operation> batch)
    {
        var released = 0;
        lock (gate)
        {
            foreach (var operation in batch)
            {
                if (rows[operation.Id].Status == OperationStatus.Syncing)
                {
                    rows[operation.Id] = rows[operation.Id] with { Status = OperationStatus.Pending };
                    released++;
                }
            }
        }

        Interlocked.Increment(ref stamp);
        Changed.Fire();
        return released;
    }

    private DateTimeOffset? NextDue()
    {
        lock (gate)
        {
            return rows.Values.Where(o => o.Status == OperationStatus.Pending && o.NextAttemptAt is not null).Min(o => o.NextAttemptAt);
        }
    }

    private void Apply(IReadOnlyList<OperationOutcome> batch)
    {
        lock (gate)
        {
            foreach (var outcome in batch)
            {
                var row = rows[outcome.Id];
                Assert.Equal(OperationStatus.Syncing, row.Status);
                rows[outcome.Id] = row with
                {
                    Status = outcome.NewStatus,
                    Attempts = row.Attempts + (outcome.CountsAsAttempt ? 1 : 0),
                    NextAttemptAt = outcome.NextAttemptAt,
                    LastError = outcome.Error,
                };
                outcomes.Add(outcome);
            }
        }

        Interlocked.Increment(ref stamp);
        Changed.Fire();
    }

    private QueueCounts Counts()
    {
        lock (gate)
        {
            long Count(OperationStatus s) => rows.Values.Count(o => o.Status == s);
            return new QueueCounts(Count(OperationStatus.Pending), Count(OperationStatus.Syncing), Count(OperationStatus.Failed), Count(OperationStatus.Conflict), Count(OperationStatus.Succeeded));
        }
    }
}
