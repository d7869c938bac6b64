using Microsoft.Data.Sqlite;

namespace OfflineSidecar.Core.Storage;

/// <summary>What a write job sees: the writer connection inside an open transaction, and the clock.</summary>
internal sealed class WriteSession(SqliteConnection connection, TimeProvider time) : IDisposable
{
    private readonly HashSet<string> touchedWorkspaces = new(StringComparer.Ordinal);

    public TimeProvider Time { get; } = time;

    /// <summary>The writer's compiled statements; also used for post-commit reads on the writer connection.</summary>
    public StatementCache Statements { get; } = new(connection);

    public SqliteConnection Connection => Statements.Connection;

    public IReadOnlyCollection<string> TouchedWorkspaces => touchedWorkspaces;

    public long NowMilliseconds => UnixMilliseconds.From(Time.GetUtcNow());

    public SqliteCommand Sql(string sql) => Statements.Sql(sql);

    /// <summary>Marks a workspace whose operation rows changed, so Changed is raised for it after commit.</summary>
    public void Touch(string workspace) => touchedWorkspaces.Add(workspace);

    public void ForgetTouches() => touchedWorkspaces.Clear();

    public void Dispose() => Statements.Dispose();
}
