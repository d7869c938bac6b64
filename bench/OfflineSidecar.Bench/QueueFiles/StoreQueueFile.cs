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

    private readonly SqliteOperationStore _store;
    private readonly SqliteWorkspaceStore _queue;

    public StoreQueueFile(string path)
    {
        _store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path, Synchronous = SynchronousMode.Full }, TimeProvider.System);
        _queue = _store.Workspace(Workspace);
    }

    public IQueueWriter OpenWriter() => new Writer(_queue);

    public bool Contains(string id) => _queue.GetAsync(id).GetAwaiter().GetResult() is not null;

    public long Count() => _queue.GetCountsAsync().GetAwaiter().GetResult().Pending;

    public void Dispose() => _store.Dispose();

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
