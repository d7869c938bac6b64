using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Testing;

namespace OfflineSidecar.Core.Tests.TestSupport;

/// <summary>Each test gets its own database file in a temp directory and a manual clock.</summary>
public abstract class StoreTestBase : IAsyncLifetime
{
    private readonly List<SqliteOperationStore> opened = [];

    internal TempDirectory Directory { get; } = new();

    internal SettableWallClock Clock { get; } = new();

    internal string DatabasePath => Directory.File("queue.db");

    internal SqliteOperationStore Store { get; private set; } = null!;

    internal SqliteWorkspaceStore Queue { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Store = Open();
        Queue = Store.Workspace("ws");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }

        Directory.Dispose();
    }

    internal SqliteOperationStore Open(StoreOptions? options = null)
    {
        var store = SqliteOperationStore.Open(options ?? new StoreOptions { DatabasePath = DatabasePath }, Clock);
        opened.Add(store);
        return store;
    }

    internal async Task<SqliteWorkspaceStore> ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = Open();
        Queue = Store.Workspace(Queue.WorkspaceId);
        return Queue;
    }

    internal static Task<EnqueueResult> EnqueueAsync(
        IOperationQueue queue,
        string? entityId = null,
        string payload = "{}",
        OperationPriority priority = OperationPriority.Normal,
        string? dedupKey = null,
        long? expectedVersion = null,
        string type = "document.put.v1") =>
        queue.EnqueueAsync(new EnqueueRequest
        {
            Type = type,
            PayloadJson = payload,
            EntityId = entityId,
            Priority = priority,
            DedupKey = dedupKey,
            ExpectedVersion = expectedVersion,
        });

    internal Task<EnqueueResult> EnqueueAsync(string? entityId = null, string payload = "{}", OperationPriority priority = OperationPriority.Normal, string? dedupKey = null) =>
        EnqueueAsync(Queue, entityId, payload, priority, dedupKey);

    internal async Task<List<string>> ClaimIdsAsync(int max = 100) =>
        (await Queue.ClaimEligibleAsync(max, Clock.GetUtcNow())).Select(o => o.Id).ToList();

    internal async Task<Operation> GetAsync(string id) => (await Queue.GetAsync(id))!.Operation;

    internal static Sync.Flush.OperationOutcome Outcome(string id, OperationStatus status, DateTimeOffset at, string word = "applied") => new()
    {
        Id = id,
        NewStatus = status,
        AttemptOutcome = word,
        StartedAt = at,
        FinishedAt = at,
    };

    internal Task CompleteAsync(string id, OperationStatus status, string word = "applied", OperationError? error = null) =>
        Queue.ApplyOutcomesAsync([Outcome(id, status, Clock.GetUtcNow(), word) with { Error = error }]);

    internal async Task<List<Operation>> ListAllAsync(ListQuery? query = null)
    {
        var all = new List<Operation>();
        var q = query ?? new ListQuery();
        while (true)
        {
            var page = await Queue.ListAsync(q);
            all.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                return all;
            }

            q = q with { Cursor = page.NextCursor };
        }
    }
}
