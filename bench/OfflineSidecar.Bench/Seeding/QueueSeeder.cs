using System.Diagnostics;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.Seeding;

/// <summary>
/// Fills a sidecar data directory with pending operations fast: the store's own insert path (QueueWrites.Insert, so
/// is_head, the count trigger and every index are maintained exactly as for an enqueue), but many rows per write
/// job and synchronous=NORMAL, i.e. one transaction and one fsync per <see cref="RowsPerTransaction"/> rows.
/// </summary>
internal static class QueueSeeder
{
    public const int RowsPerTransaction = 50_000;

    /// <summary>Returns the elapsed time. entities = 0 seeds operations without an entity.</summary>
    public static async Task<TimeSpan> SeedAsync(string dataDir, long rows, int entities)
    {
        var started = Stopwatch.GetTimestamp();
        await using var store = SqliteOperationStore.Open(
            new StoreOptions { DatabasePath = Path.Combine(dataDir, "offline-sidecar.db"), Synchronous = SynchronousMode.Normal },
            TimeProvider.System);
        var workspace = store.Workspace(SidecarLaunch.Workspace).WorkspaceId;
        for (long first = 0; first < rows; first += RowsPerTransaction)
        {
            var count = (int)Math.Min(RowsPerTransaction, rows - first);
            var operations = Build(store, first, count, entities);
            await store.Writer.RunAsync(
                session =>
                {
                    foreach (var operation in operations)
                    {
                        QueueWrites.Insert(session, workspace, operation);
                    }

                    return true;
                },
                CancellationToken.None,
                usesSavepoint: false);
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private static List<NewOperation> Build(SqliteOperationStore store, long first, int count, int entities)
    {
        var operations = new List<NewOperation>(count);
        for (var i = first; i < first + count; i++)
        {
            var id = store.Ids.Next();
            var payload = Payloads.Json(i);
            operations.Add(new NewOperation(
                id,
                Payloads.Type,
                entities > 0 ? Payloads.EntityId(i, entities) : null,
                payload,
                payload.Length,
                id,
                DedupKey: null,
                ExpectedVersion: null,
                OperationPriority.Normal,
                store.Time.GetUtcNow()));
        }

        return operations;
    }
}
