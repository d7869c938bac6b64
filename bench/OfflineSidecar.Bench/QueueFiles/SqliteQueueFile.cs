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

    private readonly string _path;
    private readonly SqliteConnection _reader;

    public SqliteQueueFile(string path)
    {
        StoreConnections.EnsureNativeLibrary();
        _path = path;
        _reader = Connect(path);
        Exec(_reader, Schema);
    }

    public IQueueWriter OpenWriter() => new Writer(Connect(_path));

    public bool Contains(string id)
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT 1 FROM operations WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is not null;
    }

    public long Count()
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT count(*) FROM operations;";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _reader.Dispose();

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
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter _id;
        private readonly SqliteParameter _key;
        private readonly SqliteParameter _entity;
        private readonly SqliteParameter _payload;
        private readonly SqliteParameter _created;

        public Writer(SqliteConnection connection)
        {
            _connection = connection;
            _insert = connection.CreateCommand();
            _insert.CommandText = "INSERT INTO operations (id, idempotency_key, entity_id, status, payload, created_at) VALUES ($id, $key, $entity, 0, $payload, $created);";
            _id = _insert.Parameters.Add("$id", SqliteType.Text);
            _key = _insert.Parameters.Add("$key", SqliteType.Text);
            _entity = _insert.Parameters.Add("$entity", SqliteType.Text);
            _payload = _insert.Parameters.Add("$payload", SqliteType.Text);
            _created = _insert.Parameters.Add("$created", SqliteType.Integer);
            _insert.Prepare();
        }

        public string Insert(QueueDocument document)
        {
            _id.Value = document.Id;
            _key.Value = document.IdempotencyKey;
            _entity.Value = document.Entity;
            _payload.Value = document.Payload;
            _created.Value = document.CreatedAt;
            _insert.ExecuteNonQuery();
            return document.Id;
        }

        public void Dispose()
        {
            _insert.Dispose();
            _connection.Dispose();
        }
    }
}
