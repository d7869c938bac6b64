using System.Collections.Concurrent;
using System.Globalization;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// Every operation the callers of a run sent, acknowledged or not, checked afterwards against the server's changes feed
/// (its permanent history, which survives server restarts): each acknowledged operation applied exactly once, an
/// unacknowledged one at most once, each entity's in the order sent. Changes another client wrote to the same documents
/// (<see cref="MergeWorkload"/>) are not the callers' and are left out.
/// </summary>
internal sealed class OperationLedger
{
    private readonly ConcurrentDictionary<string, LedgerEntry> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> nextSeq = new(StringComparer.Ordinal);
    private int nextOperation;

    public int Sent => entries.Count;

    public int Acknowledged => entries.Values.Count(static e => e.Acknowledged);

    /// <summary>A new operation of <paramref name="entityId"/>, after every one sent before (acknowledged or not).</summary>
    public LedgerEntry Next(string entityId)
    {
        var seq = nextSeq.AddOrUpdate(entityId, 0, static (_, last) => last + 1);
        var id = string.Create(CultureInfo.InvariantCulture, $"op-{Interlocked.Increment(ref nextOperation)}");
        var entry = new LedgerEntry(id, entityId, seq);
        entries[id] = entry;
        return entry;
    }

    public bool Owns(string entityId) => nextSeq.ContainsKey(entityId);

    /// <summary>Operations of this ledger among <paramref name="changes"/> (the feed, in commit order).</summary>
    public int CountApplied(IEnumerable<ServerChange> changes) => changes.Count(c => Owns(c.EntityId) && !MergeWorkload.IsOtherClients(c));

    public LedgerVerdict Verify(IReadOnlyList<ServerChange> changes)
    {
        var examples = new List<string>();
        var applied = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastSeq = new Dictionary<string, int>(StringComparer.Ordinal);
        int unknown = 0, outOfOrder = 0, total = 0;
        foreach (var change in changes.Where(c => Owns(c.EntityId) && !MergeWorkload.IsOtherClients(c)))
        {
            total++;
            var op = change.Payload is { } payload && payload.TryGetProperty("op", out var value) ? value.GetString() : null;
            if (op is null || !entries.TryGetValue(op, out var entry) || entry.EntityId != change.EntityId)
            {
                unknown++;
                Note(examples, $"{change.EntityId} v{change.Version}: no caller sent {op ?? "it"}");
                continue;
            }

            applied[op] = applied.GetValueOrDefault(op) + 1;
            if (lastSeq.TryGetValue(change.EntityId, out var previous) && entry.Seq <= previous)
            {
                outOfOrder++;
                Note(examples, $"{change.EntityId} v{change.Version}: seq {entry.Seq} after {previous}");
            }

            lastSeq[change.EntityId] = Math.Max(previous, entry.Seq);
        }

        int lost = 0, doubled = 0, appliedUnacknowledged = 0;
        foreach (var entry in entries.Values)
        {
            var times = applied.GetValueOrDefault(entry.OperationId);
            if (times > 1)
            {
                doubled++;
                Note(examples, $"{entry.OperationId} ({entry.EntityId} seq {entry.Seq}) applied {times} times");
            }

            if (entry.Acknowledged && times == 0)
            {
                lost++;
                Note(examples, $"{entry.OperationId} ({entry.EntityId} seq {entry.Seq}) acknowledged, never applied");
            }

            if (!entry.Acknowledged && times > 0)
            {
                appliedUnacknowledged++;
            }
        }

        return new LedgerVerdict(entries.Count, Acknowledged, total, appliedUnacknowledged, lost, doubled, unknown, outOfOrder, examples);
    }

    private static void Note(List<string> examples, string example)
    {
        if (examples.Count < 10)
        {
            examples.Add(example);
        }
    }
}
