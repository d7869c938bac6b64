using Microsoft.Data.Sqlite;

namespace OfflineSidecar.Core.Storage;

/// <summary>What a write job sees: the writer connection inside an open transaction, and the clock.</summary>
internal sealed class WriteSession(SqliteConnection connection, TimeProvider time) : IDisposable
{
    private readonly HashSet<string> touchedWorkspaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>?> touchedDocuments = new(StringComparer.Ordinal);
    private readonly HashSet<string> releasedBlobs = new(StringComparer.Ordinal);

    public TimeProvider Time { get; } = time;

    /// <summary>The writer's compiled statements; also used for post-commit reads on the writer connection.</summary>
    public StatementCache Statements { get; } = new(connection);

    public SqliteConnection Connection => Statements.Connection;

    public IReadOnlyCollection<string> TouchedWorkspaces => touchedWorkspaces;

    /// <summary>Workspaces whose documents changed in this transaction: the ids, or null for "any of them".</summary>
    public IReadOnlyDictionary<string, HashSet<string>?> TouchedDocuments => touchedDocuments;

    /// <summary>Attachment blobs an operation stopped needing in this transaction: swept (if nothing else needs them) after commit.</summary>
    public IReadOnlyCollection<string> ReleasedBlobs => releasedBlobs;

    public bool HasTouches => touchedWorkspaces.Count > 0 || touchedDocuments.Count > 0 || releasedBlobs.Count > 0;

    public long NowMilliseconds => UnixMilliseconds.From(Time.GetUtcNow());

    public SqliteCommand Sql(string sql) => Statements.Sql(sql);

    /// <summary>Marks a workspace whose operation rows changed, so Changed is raised for it after commit.</summary>
    public void Touch(string workspace) => touchedWorkspaces.Add(workspace);

    /// <summary>Marks documents whose cached content or overlaid state changed, so CacheChanged is raised after commit.</summary>
    public void TouchDocuments(string workspace, IEnumerable<string> entityIds)
    {
        if (touchedDocuments.TryGetValue(workspace, out var ids) && ids is null)
        {
            return;
        }

        if (ids is null)
        {
            ids = new HashSet<string>(StringComparer.Ordinal);
            touchedDocuments[workspace] = ids;
        }

        ids.UnionWith(entityIds);
    }

    /// <summary>Too many (or unknown) documents changed: listeners refresh everything.</summary>
    public void TouchAllDocuments(string workspace) => touchedDocuments[workspace] = null;

    public void ReleaseBlob(string sha256) => releasedBlobs.Add(sha256);

    public void ForgetTouches()
    {
        releasedBlobs.Clear();
        touchedWorkspaces.Clear();
        touchedDocuments.Clear();
    }

    public void Dispose() => Statements.Dispose();
}
