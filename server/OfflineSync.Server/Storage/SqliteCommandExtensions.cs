using Microsoft.Data.Sqlite;

namespace OfflineSync.Server.Storage;

internal static class SqliteCommandExtensions
{
    public static void Bind(this SqliteCommand command, string name, object? value) =>
        command.Parameters[name].Value = value ?? DBNull.Value;
}
