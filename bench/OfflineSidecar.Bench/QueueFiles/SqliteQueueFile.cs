using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>
/// Microsoft.Data.Sqlite alone as the queue, with the durability the sidecar's store uses (WAL, synchronous=FULL):
/// one connection per writer, one autocommit INSERT per operation (one WAL fsync each), busy_timeout between
/// writers. No group commit: the library's own figure, next to <see cref="StoreQueueFile"/> (the sidecar's store).
/// </summary>
internal sealed class SqliteQueueFile : IQueueFile
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS operations (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, idempotency_key TEXT NOT NULL UNIQUE,
            entity_id TEXT, status INTEGER NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS operations_entity ON operations (entity_id);
        """;

    private readonly string path;
    private readonly SqliteConnection reader;

    public SqliteQueueFile(string path)
    {
        StoreConnections.EnsureNativeLibrary();
        this.path = path;
        reader = Connect(path);
        Exec(reader, Schema);
    }

    public IQueueWriter OpenWriter() => new Writer(Connect(path));

    public bool Contains(string id)
    {
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT 1 FROM operations WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is not null;
    }

    public long Count()
    {
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT count(*) FROM operations;";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => reader.Dispose();

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        Exec(connection, "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class Writer : IQueueWriter
    {
        private readonly SqliteConnection connection;
        private readonly SqliteCommand insert;
        private readonly SqliteParameter id;
        private readonly SqliteParameter key;
        private readonly SqliteParameter entity;
        private readonly SqliteParameter payload;
        private readonly SqliteParameter created;

        public Writer(SqliteConnection connection)
        {
            this.connection = connection;
            insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO operations (id, idempotency_key, entity_id, status, payload, created_at) VALUES ($id, $key, $entity, 0, $payload, $created);";
            id = insert.Parameters.Add("$id", SqliteType.Text);
            key = insert.Parameters.Add("$key", SqliteType.Text);
            entity = insert.Parameters.Add("$entity", SqliteType.Text);
            payload = insert.Parameters.Add("$payload", SqliteType.Text);
            created = insert.Parameters.Add("$created", SqliteType.Integer);
            insert.Prepare();
        }

        public string Insert(QueueDocument document)
        {
            id.Value = document.Id;
            key.Value = document.IdempotencyKey;
            entity.Value = document.Entity;
            payload.Value = document.Payload;
            created.Value = document.CreatedAt;
            insert.ExecuteNonQuery();
            return document.Id;
        }

        public void Dispose()
        {
            insert.Dispose();
            connection.Dispose();
        }
    }
}
