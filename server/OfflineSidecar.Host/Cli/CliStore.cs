using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Host.Serve;

namespace OfflineSidecar.Host.Cli;

/// <summary>The same database file a running sidecar uses; SQLite's locking makes sharing it safe.</summary>
internal sealed class CliStore : IAsyncDisposable
{
    private CliStore(SqliteOperationStore store, SqliteWorkspaceStore workspace, string serverWorkspaceId)
    {
        Store = store;
        Workspace = workspace;
        ServerWorkspaceId = serverWorkspaceId;
        Cache = store.Cache(workspace.WorkspaceId);
    }

    public SqliteOperationStore Store { get; }

    /// <summary>The queue of the partition the command works on (see <see cref="OpenAsync"/>).</summary>
    public SqliteWorkspaceStore Workspace { get; }

    public SqliteDocumentCache Cache { get; }

    /// <summary>The workspace id the server knows the partition's work by (a partition's own name is local).</summary>
    public string ServerWorkspaceId { get; }

    /// <summary>
    /// --workspace may name a partition (as `accounts` lists them) or a workspace. A workspace's partition is the one the
    /// credentials open when the command talks to a server (<paramref name="server"/>), so a token never sends another
    /// account's work; otherwise the one used last.
    /// </summary>
    public static async Task<CliStore> OpenAsync(StoreCommandSettings settings, Uri? server = null, string? token = null)
    {
        Directory.CreateDirectory(settings.DataDir);
        SqliteOperationStore store = SqliteOperationStore.Open(
            new StoreOptions
            {
                DatabasePath = Path.Combine(settings.DataDir, SidecarSession.DatabaseFileName),
                // An import from the command line is new work like any other: refused when the disk is nearly full.
                FreeSpaceProbe = new DriveFreeSpaceProbe(),
            },
            TimeProvider.System);
        try
        {
            string partition = await store.Partitions.GetAsync(settings.WorkspaceId) is not null || server is null
                ? await store.Partitions.FindAsync(settings.WorkspaceId)
                : await store.Partitions.OpenAsync(settings.WorkspaceId, server.AbsoluteUri, string.IsNullOrEmpty(token) ? null : token);
            var workspace = (await store.Partitions.GetAsync(partition))?.WorkspaceId ?? partition;
            return new CliStore(store, store.Workspace(partition), workspace);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
