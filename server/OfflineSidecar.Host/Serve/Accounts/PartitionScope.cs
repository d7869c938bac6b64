using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;

namespace OfflineSidecar.Host.Serve.Accounts;

/// <summary>What the session serves for the account signed in: its partition's queue and cache, and their sync engine.</summary>
internal sealed class PartitionScope : IAsyncDisposable
{
    private string? accountId;

    public PartitionScope(string name, string? accountId, SqliteWorkspaceStore queue, SqliteDocumentCache cache, ISyncEngine engine)
    {
        Name = name;
        this.accountId = accountId;
        Queue = queue;
        Cache = cache;
        Engine = engine;
        Documents = new DocumentReader(cache, engine.FetchDocumentAsync);
        Conflicts = new ConflictBulkResolver(queue, engine, new ConflictMerger(cache));
    }

    /// <summary>The partition's name: what its queue and cache rows are keyed by.</summary>
    public string Name { get; }

    /// <summary>The account the server said it is; null until it did (or for no credentials on a server with accounts).</summary>
    public string? AccountId
    {
        get => Volatile.Read(ref this.accountId);
        set => Volatile.Write(ref this.accountId, value);
    }

    public SqliteWorkspaceStore Queue { get; }

    public SqliteDocumentCache Cache { get; }

    public ISyncEngine Engine { get; }

    public DocumentReader Documents { get; }

    public ConflictBulkResolver Conflicts { get; }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
