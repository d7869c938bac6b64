using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage;

/// <summary>Where the server's SQLite file lives and how connections to it are opened.</summary>
internal sealed class SyncDatabase
{
    public const string FileName = "sync-server.db";

    private const int WriterCheckpointPages = 4_000;

    private readonly string writerConnectionString;
    private readonly string readerConnectionString;

    public SyncDatabase(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        FilePath = Path.Combine(Path.GetFullPath(dataDirectory), FileName);
        writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        readerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    /// <summary>Opens the single writer connection, creating or checking the schema.</summary>
    public SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(writerConnectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL;");
            // NORMAL in WAL mode survives a process crash; only an OS crash or power loss can lose the
            // last commits, an acceptable trade for a reference server.
            Execute(connection, "PRAGMA synchronous=NORMAL;");
            // 64 MiB of page cache keeps the hot index pages of a growing database out of the OS read path.
            Execute(connection, "PRAGMA cache_size=-65536;");
            // The WalCheckpointer copies frames in the background; the writer checkpoints itself only as a
            // backstop, when the WAL has grown to ~16 MiB (4,000 pages) regardless.
            Execute(connection, $"PRAGMA wal_autocheckpoint={WriterCheckpointPages};");
            var version = ReadUserVersion(connection);
            if (version > SchemaSql.Version)
            {
                throw new InvalidOperationException($"{FilePath} has schema version {version}; this server knows up to {SchemaSql.Version}.");
            }

            using (var transaction = connection.BeginTransaction())
            {
                using var create = connection.CreateCommand();
                create.Transaction = transaction;
                create.CommandText = SchemaSql.Create + $"\nPRAGMA user_version = {SchemaSql.Version};";
                create.ExecuteNonQuery();
                transaction.Commit();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A read-write connection for <see cref="WalCheckpointer"/>; it never writes rows.</summary>
    public SqliteConnection OpenCheckpointer()
    {
        var connection = new SqliteConnection(writerConnectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA synchronous=NORMAL;");
            // Only the background pass checkpoints on this connection.
            Execute(connection, "PRAGMA wal_autocheckpoint=0;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(readerConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes idle pooled readers so the files are released when the server stops.</summary>
    public void ClearReaderPool()
    {
        using var connection = new SqliteConnection(readerConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static long ReadUserVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
