using OfflineSync.Server.Commands;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Stats;

/// <summary>Counters for tests and benchmarks to check what the server actually did.</summary>
internal sealed class ServerStats
{
    private long applied;
    private long duplicates;
    private long conflicts;
    private long rejected;
    private long retries;
    private long requests;
    private long commandRequests;
    private long changesRequests;
    private long entityRequests;
    private long droppedAfterApply;
    private long faultResponses;

    public void CountRequest() => Interlocked.Increment(ref requests);

    public void CountCommandRequest() => Interlocked.Increment(ref commandRequests);

    public void CountChangesRequest() => Interlocked.Increment(ref changesRequests);

    public void CountEntityRequest() => Interlocked.Increment(ref entityRequests);

    public void CountDroppedAfterApply() => Interlocked.Increment(ref droppedAfterApply);

    public void CountFaultResponse() => Interlocked.Increment(ref faultResponses);

    public void CountResults(IReadOnlyList<CommandResult> results)
    {
        long appliedNow = 0, duplicatesNow = 0, conflictsNow = 0, rejectedNow = 0, retriesNow = 0;
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case CommandStatuses.Applied: appliedNow++; break;
                case CommandStatuses.Duplicate: duplicatesNow++; break;
                case CommandStatuses.Conflict: conflictsNow++; break;
                case CommandStatuses.Rejected: rejectedNow++; break;
                case CommandStatuses.Retry: retriesNow++; break;
                default: break;
            }
        }

        Interlocked.Add(ref applied, appliedNow);
        Interlocked.Add(ref duplicates, duplicatesNow);
        Interlocked.Add(ref conflicts, conflictsNow);
        Interlocked.Add(ref rejected, rejectedNow);
        Interlocked.Add(ref retries, retriesNow);
    }

    public StatsSnapshot Snapshot() => new(
        Interlocked.Read(ref applied),
        Interlocked.Read(ref duplicates),
        Interlocked.Read(ref conflicts),
        Interlocked.Read(ref rejected),
        Interlocked.Read(ref retries),
        Interlocked.Read(ref requests),
        Interlocked.Read(ref commandRequests),
        Interlocked.Read(ref changesRequests),
        Interlocked.Read(ref entityRequests),
        Interlocked.Read(ref droppedAfterApply),
        Interlocked.Read(ref faultResponses));

    public void Reset()
    {
        Interlocked.Exchange(ref applied, 0);
        Interlocked.Exchange(ref duplicates, 0);
        Interlocked.Exchange(ref conflicts, 0);
        Interlocked.Exchange(ref rejected, 0);
        Interlocked.Exchange(ref retries, 0);
        Interlocked.Exchange(ref requests, 0);
        Interlocked.Exchange(ref commandRequests, 0);
        Interlocked.Exchange(ref changesRequests, 0);
        Interlocked.Exchange(ref entityRequests, 0);
        Interlocked.Exchange(ref droppedAfterApply, 0);
        Interlocked.Exchange(ref faultResponses, 0);
    }
}
