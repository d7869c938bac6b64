using Npgsql;

namespace OfflineSync.Server.Storage.Postgres;

/// <summary>
/// Brings the database's schema up to <see cref="PostgresSchema.Migrations"/> at startup, in one transaction with their
/// rows in <c>schema_migrations</c> (PostgreSQL's DDL is transactional: a failed migration leaves nothing behind).
/// A transaction-scoped advisory lock makes replicas that start together take turns, so exactly one of them applies
/// the migrations and the others find them done.
/// </summary>
internal static class PostgresMigrator
{
    /// <summary>An arbitrary constant naming this schema's migration lock among the database's advisory locks.</summary>
    private const long MigrationLockKey = 0x0FF1_1E5E_2C00_0001;

    public static int KnownVersion => PostgresSchema.Migrations.Count;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);
        await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection))
        {
            var current = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
            if (current > KnownVersion)
            {
                throw new InvalidOperationException(
                    $"the database has schema version {current}; this server knows up to {KnownVersion} (a newer server migrated it)");
            }

            for (var version = current + 1; version <= KnownVersion; version++)
            {
                await ExecuteAsync(connection, PostgresSchema.Migrations[version - 1], cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES ($1)", connection);
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
