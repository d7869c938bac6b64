using OfflineSync.Server.Commands;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <summary>
/// The writes the endpoints need, whatever holds the data (<see cref="SyncStore"/> on SQLite,
/// <see cref="Postgres.PostgresSyncStore"/> on PostgreSQL). A storage failure throws a
/// <see cref="System.Data.Common.DbException"/> with nothing of the call applied: the endpoints answer 503 and the
/// client sends again.
/// </summary>
internal interface ISyncStore : IDisposable
{
    /// <summary>Applies the commands in order, each seeing the effects of those before it, in one transaction that
    /// also holds each applied command's idempotency record; returns one result per command.</summary>
    Task<CommandResult[]> ApplyAsync(string workspaceId, string userId, IReadOnlyList<DocumentCommand> commands, CancellationToken cancellationToken);

    /// <summary>Stores an attachment's content once per workspace and hash; true when it was not there before.</summary>
    Task<bool> PutBlobAsync(string workspaceId, string sha256, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Writes an entity as "another client" would, bumping its version and recording a change.</summary>
    Task<EntityState> WriteDirectlyAsync(string workspaceId, string entityId, byte[]? payloadUtf8, bool deleted, CancellationToken cancellationToken);

    /// <summary>Deletes idempotency records applied longer than <paramref name="retention"/> ago; returns how many.</summary>
    Task<long> PruneIdempotencyAsync(TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>Compacts one workspace's changes feed in one transaction (docs/sync-protocol.md, "Compaction and the
    /// feed horizon").</summary>
    Task<CompactionResult> CompactAsync(string workspaceId, CancellationToken cancellationToken);
}
