using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Core.Tests.TestSupport;

/// <summary>Reads and writes a database file on a connection of its own, as another process would (WAL: sees every commit).</summary>
internal static class SqliteFile
{
    public static object? Scalar(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static SqliteConnection Open(string path)
    {
        StoreConnections.EnsureNativeLibrary();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
