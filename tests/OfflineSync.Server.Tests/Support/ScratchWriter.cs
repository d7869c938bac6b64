using Microsoft.Data.Sqlite;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Tests.Support;

/// <summary>A server database in a temp directory with its writer connection and prepared statements, for storage tests.</summary>
internal sealed class ScratchWriter : IDisposable
{
    private readonly TempDirectory directory = new();

    public ScratchWriter()
    {
        Database = new SyncDatabase(directory.Path);
        Connection = Database.OpenWriter();
        Statements = new WriterStatements(Connection);
    }

    public SyncDatabase Database { get; }

    public SqliteConnection Connection { get; }

    public WriterStatements Statements { get; }

    public void Dispose()
    {
        Database.ClearReaderPool();
        Statements.Dispose();
        Connection.Dispose();
        directory.Dispose();
    }
}
