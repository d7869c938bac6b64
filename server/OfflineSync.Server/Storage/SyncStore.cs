using Microsoft.Data.Sqlite;
using OfflineSync.Server.Commands;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <summary>
/// Every write goes through this one connection, one caller at a time: SQLite has a single writer anyway,
/// and serializing here keeps prepared statements reusable and versions strictly sequential.
/// </summary>
internal sealed class SyncStore : IDisposable
{
    private const int PruneChunkSize = 5_000;

    private readonly SyncDatabase database;
    private readonly SqliteConnection writer;
    private readonly WriterStatements statements;
    private readonly TimeProvider timeProvider;
    private readonly SemaphoreSlim writeGate = new(1, 1);

    public SyncStore(SyncDatabase database, TimeProvider timeProvider)
    {
        this.database = database;
        this.timeProvider = timeProvider;
        writer = database.OpenWriter();
        statements = new WriterStatements(writer);
    }

    /// <summary>
    /// Applies the commands in order in one transaction. Each command's idempotency record is written in the
    /// same transaction as its effect, so after a crash either both exist or neither does. A storage error
    /// throws and rolls the whole batch back: nothing of it is applied, and the client sends it again.
    /// </summary>
    public async Task<CommandResult[]> ApplyAsync(
        string workspaceId, string userId, IReadOnlyList<DocumentCommand> commands, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var results = new CommandResult[commands.Count];
            using var transaction = writer.BeginTransaction();
            statements.Enlist(transaction);
            for (var i = 0; i < commands.Count; i++)
            {
                results[i] = ApplyOne(workspaceId, userId, commands[i], now);
            }

            transaction.Commit();
            return results;
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Writes an entity as "another client" would, bumping its version and recording a change.</summary>
    public async Task<EntityState> WriteDirectlyAsync(
        string workspaceId, string entityId, string? payloadJson, bool deleted, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            using var transaction = writer.BeginTransaction();
            statements.Enlist(transaction);
            var type = deleted ? CommandTypes.DocumentDelete : CommandTypes.DocumentPut;
            var version = ReadVersion(workspaceId, entityId) + 1;
            var storedPayload = deleted ? null : payloadJson;
            BindEntityWrite(statements.WriteEntity, workspaceId, entityId, type, version, storedPayload, now);
            statements.WriteEntity.ExecuteNonQuery();
            transaction.Commit();
            return new EntityState(version, storedPayload is null ? null : new RawJson(storedPayload), deleted);
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Deletes idempotency records applied longer than <paramref name="retention"/> ago, in chunks so
    /// that command batches are never held up for long.</summary>
    public async Task<long> PruneIdempotencyAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow() - retention;
        long removed = 0;
        while (true)
        {
            int removedInChunk;
            await writeGate.WaitAsync(cancellationToken);
            try
            {
                using var transaction = writer.BeginTransaction();
                statements.Enlist(transaction);
                var prune = statements.PruneIdempotencyChunk;
                prune.Bind("$cutoff", cutoff.ToUnixTimeMilliseconds());
                prune.Bind("$chunk", PruneChunkSize);
                removedInChunk = prune.ExecuteNonQuery();
                transaction.Commit();
            }
            finally
            {
                writeGate.Release();
            }

            removed += removedInChunk;
            if (removedInChunk < PruneChunkSize)
            {
                return removed;
            }
        }
    }

    public void Dispose()
    {
        statements.Dispose();
        database.ClearReaderPool();
        writer.Dispose();
        writeGate.Dispose();
    }

    private CommandResult ApplyOne(string workspaceId, string userId, DocumentCommand command, long now)
    {
        var lookUp = statements.LookUpCommand;
        lookUp.Bind("$workspace", workspaceId);
        lookUp.Bind("$user", userId);
        lookUp.Bind("$key", command.IdempotencyKey);
        lookUp.Bind("$entity", command.EntityId);
        EntityState current;
        using (var reader = lookUp.ExecuteReader())
        {
            reader.Read();
            if (!reader.IsDBNull(0))
            {
                return new CommandResult { CommandId = command.CommandId, Status = CommandStatuses.Duplicate, Version = reader.GetInt64(0) };
            }

            current = ReadEntityState(reader, command.ExpectedVersion);
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

        var apply = statements.ApplyCommand;
        BindEntityWrite(apply, workspaceId, command.EntityId, command.Type, current.Version + 1, command.PayloadJson, now);
        apply.Bind("$user", userId);
        apply.Bind("$key", command.IdempotencyKey);
        apply.Bind("$command", command.CommandId);
        apply.ExecuteNonQuery();
        return new CommandResult { CommandId = command.CommandId, Status = CommandStatuses.Applied, Version = current.Version + 1 };
    }

    private static void BindEntityWrite(SqliteCommand command, string workspaceId, string entityId, string type, long version, string? payloadJson, long now)
    {
        command.Bind("$workspace", workspaceId);
        command.Bind("$entity", entityId);
        command.Bind("$type", type);
        command.Bind("$version", version);
        command.Bind("$payload", payloadJson);
        command.Bind("$deleted", type == CommandTypes.DocumentDelete);
        command.Bind("$now", now);
    }

    private long ReadVersion(string workspaceId, string entityId)
    {
        var find = statements.FindVersion;
        find.Bind("$workspace", workspaceId);
        find.Bind("$entity", entityId);
        return find.ExecuteScalar() is long version ? version : 0;
    }

    /// <summary>Reads the entity columns (version, payload, deleted) of a look-up row. The payload is copied
    /// out only when <paramref name="expectedVersion"/> makes this a conflict, the one outcome that returns it.</summary>
    private static EntityState ReadEntityState(SqliteDataReader reader, long? expectedVersion)
    {
        if (reader.IsDBNull(1))
        {
            return EntityState.Missing;
        }

        var version = reader.GetInt64(1);
        var isConflict = expectedVersion is long expected && expected != version;
        var payload = isConflict && !reader.IsDBNull(2) ? new RawJson(reader.GetString(2)) : null;
        return new EntityState(version, payload, reader.GetInt64(3) != 0);
    }
}
