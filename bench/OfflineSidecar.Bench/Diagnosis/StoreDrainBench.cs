using System.Diagnostics;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Bench.Seeding;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Bench.Diagnosis;

/// <summary>
/// The store's share of a drain alone: no HTTP, no server, no engine. Every batch is claimed, then recorded as applied,
/// with the record of one batch and the claim of the next submitted together as the engine does (so the writer's group
/// commit makes them one transaction). What it measures is the writer's SQLite work and commits per operation, which is
/// what bounds the sidecar's side of a real drain.
/// </summary>
internal static class StoreDrainBench
{
    public static async Task RunAsync(ResultSink sink, int ops, int entities, int batchSize, int depth)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var dir = new TempDirectory("store-drain");
        await QueueSeeder.SeedAsync(dir.Path, ops, entities);
        await using var store = SqliteOperationStore.Open(
            new StoreOptions { DatabasePath = Path.Combine(dir.Path, "offline-sidecar.db") }, TimeProvider.System);
        var queue = store.Workspace(SidecarLaunch.Workspace);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var go = Stopwatch.GetTimestamp();
        var inFlight = new Queue<IReadOnlyList<Operation>>();
        var recorded = 0;
        // The server's answer: each entity's next version, so the op cache takes every answer as the reference server's would.
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < depth; i++)
        {
            var batch = await queue.ClaimEligibleAsync(batchSize, DateTimeOffset.UtcNow);
            if (batch.Count > 0)
            {
                inFlight.Enqueue(batch);
            }
        }

        while (inFlight.TryDequeue(out var answered))
        {
            var now = DateTimeOffset.UtcNow;
            var outcomes = answered
                .Select(o => new OperationOutcome
                {
                    Id = o.Id, NewStatus = OperationStatus.Succeeded, AttemptOutcome = "applied", StartedAt = now, FinishedAt = now,
                    ServerVersion = o.EntityId is { } entity ? versions[entity] = versions.GetValueOrDefault(entity) + 1 : 1,
                })
                .ToList();
            var apply = queue.ApplyOutcomesAsync(outcomes);
            var claim = queue.ClaimEligibleAsync(batchSize, now);
            await apply;
            recorded += outcomes.Count;
            var next = await claim;
            if (next.Count > 0)
            {
                inFlight.Enqueue(next);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(go);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var label = $"store only, {entities:#,0} entities, batch {batchSize}, {depth} in flight";
        sink.Add($"{label}: recorded", recorded / elapsed.TotalSeconds, "ops/s", note: $"{elapsed.TotalSeconds:0.00} s, {recorded} ops");
        sink.Add($"{label}: store CPU per operation", cpu.TotalMilliseconds * 1000 / Math.Max(1, recorded), "µs");
    }
}
