using Microsoft.Data.Sqlite;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Keeps one command per SQL text on a connection so SQLite compiles each statement once;
/// Microsoft.Data.Sqlite resets and reuses the prepared statement on every execution.
/// </summary>
internal sealed class StatementCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    /// <summary>The cached command with its parameters cleared. Dispose any reader before asking for the same SQL again.</summary>
    public SqliteCommand Sql(string sql)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
#pragma warning disable CA2100 // SQL texts are constants of this assembly; values always go through parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            commands.Add(sql, command);
        }

        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }

        commands.Clear();
        Connection.Dispose();
    }
}
