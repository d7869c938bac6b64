using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>
/// The sidecar's own store (<see cref="SqliteOperationStore"/>: its schema, its writer thread with group commit,
/// synchronous=FULL): what the product does with an enqueue. The id is the store's own (a ULID).
/// </summary>
internal sealed class StoreQueueFile : IQueueFile
{
    private const string Workspace = "bench";

    private readonly SqliteOperationStore store;
    private readonly SqliteWorkspaceStore queue;

    public StoreQueueFile(string path)
    {
        store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path, Synchronous = SynchronousMode.Full }, TimeProvider.System);
        queue = store.Workspace(Workspace);
    }

    public IQueueWriter OpenWriter() => new Writer(queue);

    public bool Contains(string id) => queue.GetAsync(id).GetAwaiter().GetResult() is not null;

    public long Count() => queue.GetCountsAsync().GetAwaiter().GetResult().Pending;

    public void Dispose() => store.Dispose();

    private sealed class Writer(SqliteWorkspaceStore queue) : IQueueWriter
    {
        public string Insert(QueueDocument document) => queue.EnqueueAsync(new EnqueueRequest
        {
            Type = "document.put.v1",
            PayloadJson = document.Payload,
            EntityId = document.Entity,
            IdempotencyKey = document.IdempotencyKey,
        }).GetAwaiter().GetResult().Id;

        public void Dispose()
        {
        }
    }
}
