using Microsoft.Data.Sqlite;
using OfflineSync.Server.Commands;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <summary>
/// Every write goes through this one connection and its <see cref="WriteQueue"/>: SQLite has a single writer
/// anyway, and one queue keeps versions strictly sequential while concurrent requests share a commit.
/// </summary>
internal sealed class SyncStore : ISyncStore
{
    private const int PruneChunkSize = 5_000;

    private readonly SyncDatabase database;
    private readonly SqliteConnection writer;
    private readonly WriterStatements statements;
    private readonly WriteQueue queue;
    private readonly TimeProvider timeProvider;
    private readonly WalCheckpointer checkpointer;

    public SyncStore(SyncDatabase database, TimeProvider timeProvider)
    {
        this.database = database;
        this.timeProvider = timeProvider;
        writer = database.OpenWriter();
        try
        {
            statements = new WriterStatements(writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        try
        {
            checkpointer = new WalCheckpointer(database, TimeProvider.System);
        }
        catch
        {
            statements.Dispose();
            writer.Dispose();
            throw;
        }

        queue = new WriteQueue(statements, () => checkpointer.Committed(writer));
    }

    /// <summary>
    /// Applies the commands in order, after every write queued before them, in one transaction (possibly shared
    /// with other requests' batches). Each command's idempotency record is written in the same transaction as its
    /// effect, so after a crash either both exist or neither does. A storage error throws and rolls the batch
    /// back: nothing of it is applied, and the client sends it again.
    /// </summary>
    public async Task<CommandResult[]> ApplyAsync(
        string workspaceId, string userId, IReadOnlyList<DocumentCommand> commands, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var results = new CommandResult[commands.Count];
        await queue.RunAsync(() =>
        {
            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            for (var i = 0; i < commands.Count; i++)
            {
                results[i] = ApplyOne(workspaceId, userId, commands[i], now);
            }
        });
        return results;
    }

    /// <summary>Stores an attachment's content once per workspace and hash; true when it was not there before.</summary>
    public async Task<bool> PutBlobAsync(string workspaceId, string sha256, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var created = false;
        await queue.RunAsync(() =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = """
                INSERT OR IGNORE INTO blobs (workspace_id, sha256, size, content, stored_at)
                VALUES ($workspace, $sha256, $size, $content, $now)
                """;
            command.Parameters.AddWithValue("$workspace", workspaceId);
            command.Parameters.AddWithValue("$sha256", sha256);
            command.Parameters.AddWithValue("$size", content.Length);
            command.Parameters.Add("$content", SqliteType.Blob).Value = content.ToArray();
            command.Parameters.AddWithValue("$now", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            created = command.ExecuteNonQuery() == 1;
        });
        return created;
    }

    /// <summary>Writes an entity as "another client" would, bumping its version and recording a change.</summary>
    public async Task<EntityState> WriteDirectlyAsync(
        string workspaceId, string entityId, byte[]? payloadUtf8, bool deleted, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EntityState? state = null;
        await queue.RunAsync(() =>
        {
            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var type = CommandTypes.ThatLeaves(deleted);
            var version = ReadVersion(workspaceId, entityId) + 1;
            var storedPayload = deleted ? null : payloadUtf8;
            WriteEntity(workspaceId, entityId, type, version, storedPayload, now);
            state = new EntityState(version, storedPayload is null ? null : new RawJson(storedPayload), deleted);
        });
        return state!;
    }

    /// <summary>Deletes idempotency records applied longer than <paramref name="retention"/> ago, in chunks so
    /// that command batches are never held up for long.</summary>
    public async Task<long> PruneIdempotencyAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = (timeProvider.GetUtcNow() - retention).ToUnixTimeMilliseconds();
        long removed = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var removedInChunk = 0;
            await queue.RunAsync(() =>
            {
                var prune = statements.PruneIdempotencyChunk;
                prune.Bind(1, cutoff);
                prune.Bind(2, PruneChunkSize);
                removedInChunk = prune.Execute();
            });

            removed += removedInChunk;
            if (removedInChunk < PruneChunkSize)
            {
                return removed;
            }
        }
    }

    /// <summary>
    /// Deletes, in one transaction, every change row of the workspace that a later row of the same entity
    /// supersedes, and every row of an entity whose latest row is a delete. Only the purged tombstones move the
    /// horizon: a reader behind one of them would never learn of that delete, while a reader behind a removed
    /// superseded row still gets the entity's latest row. Entities (deleted ones with their versions) stay.
    /// </summary>
    public async Task<CompactionResult> CompactAsync(string workspaceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CompactionResult? result = null;
        await queue.RunAsync(() =>
        {
            // Read before the delete that removes the tombstones it looks for.
            var find = statements.FindHighestTombstone;
            find.BindText(1, workspaceId);
            long? highestTombstone;
            try
            {
                highestTombstone = find.Step() && !find.IsNull(0) ? find.Int64(0) : null;
            }
            finally
            {
                find.Reset();
            }

            var delete = statements.DeleteCompactedChanges;
            delete.BindText(1, workspaceId);
            var removed = delete.Execute();
            if (highestTombstone is long candidate)
            {
                var raise = statements.RaiseHorizon;
                raise.BindText(1, workspaceId);
                raise.Bind(2, candidate);
                raise.Execute();
            }

            result = new CompactionResult(removed, ReadHorizon(workspaceId));
        });
        return result!;
    }

    public void Dispose()
    {
        checkpointer.Dispose();
        statements.Dispose();
        database.ClearReaderPool();
        writer.Dispose();
    }

    private CommandResult ApplyOne(string workspaceId, string userId, DocumentCommand command, long now)
    {
        var lookUp = statements.LookUpCommand;
        lookUp.BindText(1, workspaceId);
        lookUp.BindText(2, userId);
        lookUp.BindText(3, command.IdempotencyKey);
        lookUp.BindText(4, command.EntityId);
        EntityState current;
        try
        {
            lookUp.Step();
            if (!lookUp.IsNull(0))
            {
                return new CommandResult { CommandId = command.CommandId, Status = CommandStatuses.Duplicate, Version = lookUp.Int64(0) };
            }

            current = ReadEntityState(lookUp, command.ExpectedVersion);
        }
        finally
        {
            lookUp.Reset();
        }

        if (command.ExpectedVersion is long expected && expected != current.Version)
        {
            return new CommandResult
            {
                CommandId = command.CommandId,
                Status = CommandStatuses.Conflict,
                Server = current,
                Code = ResultCodes.VersionMismatch,
                Message = $"expected version {expected}, entity is at version {current.Version}",
            };
        }

        var version = current.Version + 1;
        WriteEntity(workspaceId, command.EntityId, command.Type, version, command.PayloadUtf8, now);
        var record = statements.InsertIdempotency;
        record.BindText(1, workspaceId);
        record.BindText(2, userId);
        record.BindText(3, command.IdempotencyKey);
        record.BindText(4, command.CommandId);
        record.BindText(5, command.EntityId);
        record.Bind(6, version);
        record.Bind(7, now);
        record.Execute();
        return new CommandResult { CommandId = command.CommandId, Status = CommandStatuses.Applied, Version = version };
    }

    /// <summary>The entity upsert and its change row.</summary>
    private void WriteEntity(string workspaceId, string entityId, string type, long version, byte[]? payloadUtf8, long now)
    {
        var deleted = type == CommandTypes.DocumentDelete ? 1L : 0L;
        var upsert = statements.UpsertEntity;
        upsert.BindText(1, workspaceId);
        upsert.BindText(2, entityId);
        upsert.Bind(3, version);
        BindPayload(upsert, 4, payloadUtf8);
        upsert.Bind(5, deleted);
        upsert.Bind(6, now);
        upsert.Execute();

        var change = statements.InsertChange;
        change.BindText(1, workspaceId);
        change.BindText(2, entityId);
        change.BindText(3, type);
        change.Bind(4, version);
        BindPayload(change, 5, payloadUtf8);
        change.Bind(6, deleted);
        change.Bind(7, now);
        change.Execute();
    }

    private static void BindPayload(SqliteStatement statement, int index, byte[]? payloadUtf8)
    {
        if (payloadUtf8 is null)
        {
            statement.BindNull(index);
        }
        else
        {
            statement.BindUtf8(index, payloadUtf8);
        }
    }

    private long ReadVersion(string workspaceId, string entityId)
    {
        var find = statements.FindVersion;
        find.BindText(1, workspaceId);
        find.BindText(2, entityId);
        try
        {
            return find.Step() ? find.Int64(0) : 0;
        }
        finally
        {
            find.Reset();
        }
    }

    private FeedHorizon ReadHorizon(string workspaceId)
    {
        var find = statements.FindHorizon;
        find.BindText(1, workspaceId);
        try
        {
            return find.Step() ? new FeedHorizon(find.Int64(0), find.Int64(1)) : default;
        }
        finally
        {
            find.Reset();
        }
    }

    /// <summary>Reads the entity columns (version, payload, deleted) of a look-up row. The payload is copied
    /// out only when <paramref name="expectedVersion"/> makes this a conflict, the one outcome that returns it.</summary>
    private static EntityState ReadEntityState(SqliteStatement lookUp, long? expectedVersion)
    {
        if (lookUp.IsNull(1))
        {
            return EntityState.Missing;
        }

        var version = lookUp.Int64(1);
        var isConflict = expectedVersion is long expected && expected != version;
        var payload = isConflict && !lookUp.IsNull(2) ? new RawJson(lookUp.Utf8(2)) : null;
        return new EntityState(version, payload, lookUp.Int64(3) != 0);
    }
}
