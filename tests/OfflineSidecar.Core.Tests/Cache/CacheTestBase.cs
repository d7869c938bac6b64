using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Cache;

/// <summary>A store on a real file with the op cache of workspace "ws" and helpers to play the server's feed.</summary>
public abstract class CacheTestBase : StoreTestBase
{
    private long feedSequence;

    internal SqliteDocumentCache Cache { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Cache = Store.Cache("ws");
    }

    internal static string Doc(string text) => DocumentPayload.Create(text);

    internal static ChangeRecord Put(string id, long version, string text) => new(id, DocumentTypes.Put, version, Doc(text), false);

    internal static ChangeRecord Deleted(string id, long version) => new(id, DocumentTypes.Delete, version, null, true);

    /// <summary>Applies one page as the pull would, from the cursor the cache holds; returns the new cursor.</summary>
    internal async Task<string> PullPageAsync(bool hasMore, params ChangeRecord[] changes)
    {
        var state = await Cache.GetPullStateAsync();
        feedSequence += Math.Max(1, changes.Length);
        var cursor = feedSequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Cache.ApplyPageAsync(state.Cursor, state.Generation, new ChangesPage(changes, cursor, hasMore, null));
        return cursor;
    }

    internal Task<string> PullAsync(params ChangeRecord[] changes) => PullPageAsync(false, changes);

    /// <summary>What the documents workspace does on save: a put coalescing on the path, on the version it read.</summary>
    internal Task<OfflineSidecar.Core.Queue.EnqueueResult> SaveAsync(string id, string text, long? expectedVersion) =>
        EnqueueAsync(Queue, id, Doc(text), dedupKey: id, expectedVersion: expectedVersion);

    internal Task<OfflineSidecar.Core.Queue.EnqueueResult> DeleteAsync(string id, long? expectedVersion) =>
        EnqueueAsync(Queue, id, "null", expectedVersion: expectedVersion, type: DocumentTypes.Delete);

    /// <summary>Claims everything eligible and records the server's answer for each (applied at the given version).</summary>
    internal async Task ApplyAsync(string id, long version, string word = AttemptOutcomes.Applied)
    {
        var claimed = await Queue.ClaimEligibleAsync(100, Clock.GetUtcNow());
        Assert.Contains(claimed, o => o.Id == id);
        var outcomes = claimed.Select(o => o.Id == id
            ? Outcome(o.Id, OperationStatus.Succeeded, Clock.GetUtcNow(), word) with { ServerVersion = version }
            : Outcome(o.Id, OperationStatus.Pending, Clock.GetUtcNow(), AttemptOutcomes.Retry) with { CountsAsAttempt = false }).ToList();
        await Queue.ApplyOutcomesAsync(outcomes);
    }

    internal async Task<string?> ContentAsync(string id) =>
        (await Cache.GetAsync(id)) is { PayloadJson: { } payload } ? DocumentPayload.TryReadContent(payload) : null;

    /// <summary>cache_totals against a count of the rows themselves.</summary>
    internal void AssertTotalsMatchRows()
    {
        using var connection = SqliteFile.Open(DatabasePath);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COALESCE(entities, 0) FROM cache_totals WHERE workspace = 'ws'),
                   (SELECT COALESCE(bytes, 0) FROM cache_totals WHERE workspace = 'ws'),
                   (SELECT COUNT(*) FROM cache_entities WHERE workspace = 'ws' AND deleted = 0),
                   (SELECT COALESCE(SUM(payload_bytes), 0) FROM cache_entities WHERE workspace = 'ws' AND deleted = 0 AND evicted = 0);
            """;
        using var row = command.ExecuteReader();
        Assert.True(row.Read());
        var kept = (row.IsDBNull(0) ? 0 : row.GetInt64(0), row.IsDBNull(1) ? 0 : row.GetInt64(1));
        Assert.Equal((row.GetInt64(2), row.GetInt64(3)), kept);
    }
}
