using LiteDB;

namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>
/// LiteDB 5 as the queue: one collection, <c>id</c> the operation id, a unique index on the idempotency key and one
/// on the entity. Each Insert is its own transaction (LiteDB's auto-transaction), acknowledged when Insert returns.
/// LiteDB 5 has no durability setting: its connection string offers Filename, Connection (direct / shared),
/// Password, InitialSize, ReadOnly, Upgrade, AutoRebuild and Collation; a commit writes its pages to the
/// "-log" file through a writer thread of its own.
/// </summary>
internal sealed class LiteDbQueueFile : IQueueFile
{
    private readonly LiteDatabase database;
    private readonly ILiteCollection<BsonDocument> queue;

    public LiteDbQueueFile(string path, bool shared)
    {
        database = new LiteDatabase(new ConnectionString
        {
            Filename = path,
            Connection = shared ? ConnectionType.Shared : ConnectionType.Direct,
        });
        queue = database.GetCollection("operations");
        queue.EnsureIndex("idempotencyKey", unique: true);
        queue.EnsureIndex("entity");
    }

    public IQueueWriter OpenWriter() => new Writer(queue);

    public bool Contains(string id) => queue.FindById(id) is not null;

    public long Count() => queue.LongCount();

    public void Dispose() => database.Dispose();

    /// <summary>LiteDatabase is thread-safe: every writer shares the one instance.</summary>
    private sealed class Writer(ILiteCollection<BsonDocument> queue) : IQueueWriter
    {
        public string Insert(QueueDocument document)
        {
            queue.Insert(new BsonDocument
            {
                ["_id"] = document.Id,
                ["idempotencyKey"] = document.IdempotencyKey,
                ["entity"] = document.Entity,
                ["status"] = document.Status,
                ["payload"] = document.Payload,
                ["createdAt"] = document.CreatedAt,
            });
            return document.Id;
        }

        public void Dispose()
        {
        }
    }
}
