using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.Seeding;

/// <summary>
/// Fills a data directory's op cache fast through the pull's own write path (a page of 1,000 changes with its cursor per
/// transaction, exactly as a pull writes), at synchronous=NORMAL.
/// </summary>
internal static class CacheSeeder
{
    public const int PageSize = 1000;

    public static async Task<TimeSpan> SeedAsync(string dataDir, int entities, Func<int, string> entityId, Func<int, string> text)
    {
        var started = Stopwatch.GetTimestamp();
        await using var store = SqliteOperationStore.Open(
            new StoreOptions { DatabasePath = Path.Combine(dataDir, "offline-sidecar.db"), Synchronous = SynchronousMode.Normal },
            TimeProvider.System);
        var cache = store.Cache(SidecarLaunch.Workspace);
        string? cursor = null;
        for (var first = 0; first < entities; first += PageSize)
        {
            var changes = new List<ChangeRecord>(PageSize);
            for (var i = first; i < Math.Min(entities, first + PageSize); i++)
            {
                changes.Add(new ChangeRecord(entityId(i), "document.put.v1", 1, Core.Documents.DocumentPayload.Create(text(i)), false));
            }

            var next = (first + changes.Count).ToString(CultureInfo.InvariantCulture);
            await cache.ApplyPageAsync(cursor, 1, new ChangesPage(changes, next, first + changes.Count < entities, null));
            cursor = next;
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
