using OfflineSync.Server.Commands;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Stats;

/// <summary>
/// The newest command batches with their sender's <c>clientId</c> and times, for GET /admin/command-log: with several
/// clients sharing one queue (editor windows on one data directory), it is what shows which one flushed when, and that
/// two never sent at once. Bounded, in memory, emptied by POST /admin/reset-stats.
/// </summary>
internal sealed class CommandRequestLog(TimeProvider time)
{
    private const int Capacity = 20_000;
    private readonly Lock gate = new();
    private readonly Queue<CommandRequestRecord> records = new();
    private long dropped;

    public DateTimeOffset Now => time.GetUtcNow();

    public void Add(CommandBatchRequest batch, IReadOnlyList<CommandResult>? results, DateTimeOffset receivedAt, string outcome)
    {
        var applied = results?.Count(static r => r.Status == CommandStatuses.Applied) ?? 0;
        var record = new CommandRequestRecord(batch.ClientId!, batch.WorkspaceId!, batch.Commands!.Count, applied, receivedAt, time.GetUtcNow(), outcome);
        lock (gate)
        {
            if (records.Count == Capacity)
            {
                records.Dequeue();
                dropped++;
            }

            records.Enqueue(record);
        }
    }

    public CommandLogResponse Snapshot()
    {
        lock (gate)
        {
            return new CommandLogResponse([.. records], dropped);
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            records.Clear();
            dropped = 0;
        }
    }
}
