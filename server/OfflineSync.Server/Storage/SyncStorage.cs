using Npgsql;
using OfflineSync.Server.Hosting;
using OfflineSync.Server.Storage.Postgres;

namespace OfflineSync.Server.Storage;

/// <summary>The store the options name, opened and with its schema ready: SQLite in <see cref="SyncServerOptions.DataDirectory"/>
/// by default, PostgreSQL when <see cref="SyncServerOptions.PostgresUrl"/> is set.</summary>
internal sealed record SyncStorage(ISyncStore Store, ISyncStoreReader Reader)
{
    /// <exception cref="System.Data.Common.DbException">The database cannot be reached or opened.</exception>
    /// <exception cref="InvalidOperationException">The schema is newer than this server knows.</exception>
    public static SyncStorage Open(SyncServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PostgresUrl is { } url)
        {
            return OpenPostgres(url, options.TimeProvider);
        }

        var database = new SyncDatabase(options.DataDirectory ?? throw new InvalidOperationException("no data directory and no --store"));
        return new SyncStorage(new SyncStore(database, options.TimeProvider), new SyncStoreReader(database));
    }

    private static SyncStorage OpenPostgres(string url, TimeProvider timeProvider)
    {
        if (!PostgresUrl.TryParse(url, out var connectionString, out var error))
        {
            throw new ArgumentException(error, nameof(url));
        }

        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            // Startup is synchronous (Build); the migration is its only database work.
            PostgresMigrator.MigrateAsync(dataSource, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }

        return new SyncStorage(new PostgresSyncStore(dataSource, timeProvider), new PostgresSyncStoreReader(dataSource));
    }
}
