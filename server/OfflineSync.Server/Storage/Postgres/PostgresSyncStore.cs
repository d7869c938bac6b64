using System.Text;
using Npgsql;
using NpgsqlTypes;
using OfflineSync.Server.Commands;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage.Postgres;

/// <summary>
/// The store on a PostgreSQL database that several server processes may share. Each call is its own transaction on a
/// pooled connection; there is no in-process write queue, because the database orders concurrent writers itself:
/// writers of one workspace queue on its counter row (see <see cref="PostgresSchema"/>), other workspaces run in
/// parallel.
/// </summary>
internal sealed class PostgresSyncStore(NpgsqlDataSource dataSource, TimeProvider timeProvider) : ISyncStore
{
    private const int PruneChunkSize = 5_000;

    /// <summary>The latest change row of each entity of workspace $1, with its deleted flag.</summary>
    private const string LatestRows = "SELECT DISTINCT ON (entity_id) seq, deleted FROM changes WHERE workspace_id = $1 ORDER BY entity_id, seq DESC";

    public async Task<CommandResult[]> ApplyAsync(
        string workspaceId, string userId, IReadOnlyList<DocumentCommand> commands, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = commands.Count;
        var commandIds = new string[count];
        var keys = new string[count];
        var types = new string[count];
        var entities = new string[count];
        var expected = new long?[count];
        var payloads = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var command = commands[i];
            commandIds[i] = command.CommandId;
            keys[i] = command.IdempotencyKey;
            types[i] = command.Type;
            entities[i] = command.EntityId;
            expected[i] = command.ExpectedVersion;
            payloads[i] = command.PayloadUtf8 is { } payload ? Encoding.UTF8.GetString(payload) : null;
        }

        // Like the SQLite store, a started batch is not cancelled by its request: it commits or fails as a whole, and
        // a client that went away resends and gets duplicates.
        // One statement outside an explicit transaction is its own transaction, which the server commits before it
        // reports ready for the next query: no COMMIT round trip while the workspace's counter row is held, so the
        // next writer of the workspace waits one round trip less. Reading the reader to its end waits for that report;
        // a failed commit arrives there as an error, before any result is returned.
        await using var apply = dataSource.CreateCommand("SELECT * FROM sync_apply_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        apply.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        apply.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        apply.Parameters.Add(new NpgsqlParameter<long> { TypedValue = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() });
        apply.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = commandIds });
        apply.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        apply.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types });
        apply.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = entities });
        apply.Parameters.Add(new NpgsqlParameter { Value = expected, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        apply.Parameters.Add(new NpgsqlParameter { Value = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var results = new CommandResult[count];
        await using (var reader = await apply.ExecuteReaderAsync(CancellationToken.None))
        {
            for (var i = 0; i < count; i++)
            {
                if (!await reader.ReadAsync(CancellationToken.None))
                {
                    throw new InvalidOperationException($"sync_apply_batch answered {i} rows for {count} commands");
                }

                results[i] = ReadResult(reader, commands[i]);
            }

            // To the end of the statement and its commit.
            while (await reader.NextResultAsync(CancellationToken.None))
            {
            }
        }

        return results;
    }

    public async Task<bool> PutBlobAsync(string workspaceId, string sha256, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO blobs (workspace_id, sha256, size, content, stored_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (workspace_id, sha256) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = content.Length });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = content, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<EntityState> WriteDirectlyAsync(
        string workspaceId, string entityId, byte[]? payloadUtf8, bool deleted, CancellationToken cancellationToken)
    {
        var payload = deleted || payloadUtf8 is null ? null : Encoding.UTF8.GetString(payloadUtf8);
        await using var command = dataSource.CreateCommand("SELECT sync_write_directly($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entityId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CommandTypes.ThatLeaves(deleted) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)payload ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = deleted });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() });
        var version = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
        return new EntityState(version, payload is null ? null : new RawJson(payloadUtf8!), deleted);
    }

    public async Task<long> PruneIdempotencyAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = (timeProvider.GetUtcNow() - retention).ToUnixTimeMilliseconds();
        long removed = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Chunks keep each transaction short; commands never wait for a prune, which locks only the keys it deletes.
            await using var command = dataSource.CreateCommand("""
                DELETE FROM idempotency WHERE (workspace_id, user_id, idempotency_key) IN (
                    SELECT workspace_id, user_id, idempotency_key FROM idempotency WHERE applied_at < $1 LIMIT $2)
                """);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PruneChunkSize });
            var removedInChunk = await command.ExecuteNonQueryAsync(cancellationToken);
            removed += removedInChunk;
            if (removedInChunk < PruneChunkSize)
            {
                return removed;
            }
        }
    }

    public async Task<CompactionResult> CompactAsync(string workspaceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        // The counter row, locked like a writer does: no change row of this workspace commits while the purge runs.
        await ExecuteAsync(connection, transaction, """
            INSERT INTO workspaces AS w (workspace_id) VALUES ($1)
            ON CONFLICT (workspace_id) DO UPDATE SET last_seq = w.last_seq
            """, workspaceId);
        // Read before the delete that removes the tombstones it looks for.
        long? highestTombstone;
        await using (var find = new NpgsqlCommand($"SELECT max(seq) FROM ({LatestRows}) latest WHERE deleted", connection, transaction))
        {
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
            highestTombstone = await find.ExecuteScalarAsync(CancellationToken.None) as long?;
        }

        var removed = await ExecuteAsync(connection, transaction, $"""
            DELETE FROM changes
            WHERE workspace_id = $1 AND seq NOT IN (SELECT seq FROM ({LatestRows}) latest WHERE NOT deleted)
            """, workspaceId);
        FeedHorizon horizon;
        await using (var raise = new NpgsqlCommand("""
            UPDATE workspaces SET
                horizon = CASE WHEN $2 > horizon THEN $2 ELSE horizon END,
                epoch = CASE WHEN $2 > horizon THEN epoch + 1 ELSE epoch END
            WHERE workspace_id = $1
            RETURNING horizon, epoch
            """, connection, transaction))
        {
            // Only a higher horizon starts a new epoch, so the horizon never goes down; 0 (no tombstone) never raises it.
            raise.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
            raise.Parameters.Add(new NpgsqlParameter<long> { TypedValue = highestTombstone ?? 0 });
            await using var reader = await raise.ExecuteReaderAsync(CancellationToken.None);
            await reader.ReadAsync(CancellationToken.None);
            horizon = new FeedHorizon(reader.GetInt64(0), reader.GetInt64(1));
        }

        await transaction.CommitAsync(CancellationToken.None);
        return new CompactionResult(removed, horizon);
    }

    /// <summary>The data source belongs to the store: disposing it closes the pooled connections.</summary>
    public void Dispose() => dataSource.Dispose();

    private static CommandResult ReadResult(NpgsqlDataReader reader, DocumentCommand command)
    {
        var status = reader.GetString(0);
        var version = reader.GetInt64(1);
        if (status != CommandStatuses.Conflict)
        {
            return new CommandResult { CommandId = command.CommandId, Status = status, Version = version };
        }

        var payload = reader.IsDBNull(2) ? null : new RawJson(reader.GetString(2));
        return new CommandResult
        {
            CommandId = command.CommandId,
            Status = CommandStatuses.Conflict,
            Server = version == 0 ? EntityState.Missing : new EntityState(version, payload, reader.GetBoolean(3)),
            Code = ResultCodes.VersionMismatch,
            Message = $"expected version {command.ExpectedVersion}, entity is at version {version}",
        };
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string workspaceId)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workspaceId });
        return await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
