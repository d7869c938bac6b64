using OfflineSidecar.Core.Storage;
using OfflineSidecar.Host.Serve;

namespace OfflineSidecar.Host.Cli;

/// <summary>The same database file a running sidecar uses; SQLite's locking makes sharing it safe.</summary>
internal sealed class CliStore : IAsyncDisposable
{
    private CliStore(SqliteOperationStore store, SqliteWorkspaceStore workspace)
    {
        Store = store;
        Workspace = workspace;
        Cache = store.Cache(workspace.WorkspaceId);
    }

    public SqliteOperationStore Store { get; }

    public SqliteWorkspaceStore Workspace { get; }

    public SqliteDocumentCache Cache { get; }

    public static CliStore Open(StoreCommandSettings settings)
    {
        Directory.CreateDirectory(settings.DataDir);
        SqliteOperationStore store = SqliteOperationStore.Open(
            new StoreOptions { DatabasePath = Path.Combine(settings.DataDir, SidecarSession.DatabaseFileName) }, TimeProvider.System);
        try
        {
            return new CliStore(store, store.Workspace(settings.WorkspaceId));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
