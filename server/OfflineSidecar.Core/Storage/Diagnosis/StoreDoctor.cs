using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OfflineSidecar.Core.Storage.Diagnosis;

/// <summary>
/// Looks at a store without changing it: opening it the normal way would migrate it, or move a damaged file aside,
/// which is what a person asking "is my queue all right?" must decide, not the check. Read-only connection, no
/// migration, no recovery.
/// </summary>
public static class StoreDoctor
{
    private const UnixFileMode OthersAndGroup =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <param name="full">integrity_check (reads every page and index) instead of quick_check.</param>
    public static StoreDiagnosis Examine(string databasePath, bool full = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        if (!File.Exists(databasePath))
        {
            return new StoreDiagnosis(databasePath, false, []);
        }

        var checks = new List<StoreCheck> { Permissions(databasePath), Wal(databasePath) };
        var builder = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            var integrity = Integrity(connection, full);
            checks.Add(integrity);
            if (integrity.Ok)
            {
                checks.Add(Schema(connection));
                checks.Add(Counts(connection));
            }
        }
        catch (SqliteException exception)
        {
            checks.Add(new StoreCheck("open", false, $"cannot be read as a database: {exception.Message}"));
        }

        return new StoreDiagnosis(databasePath, true, checks);
    }

    private static StoreCheck Permissions(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return new StoreCheck("permissions", true, "not checked on Windows (the profile's ACLs apply)");
        }

        var mode = File.GetUnixFileMode(path);
        var open = mode & OthersAndGroup;
        return open == 0
            ? new StoreCheck("permissions", true, "owner only")
            : new StoreCheck("permissions", false, $"readable or writable beyond its owner ({open}); expected owner only (chmod 600)");
    }

    private static StoreCheck Wal(string path)
    {
        var wal = new FileInfo(path + "-wal");
        return new StoreCheck("wal", true, wal.Exists
            ? string.Create(CultureInfo.InvariantCulture, $"{wal.Length:N0} bytes not yet checkpointed into the file (a running sidecar, or one that stopped; the next open replays them)")
            : "none");
    }

    private static StoreCheck Integrity(SqliteConnection connection, bool full)
    {
        var name = full ? "integrity_check" : "quick_check";
        var problems = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"PRAGMA {name}(20);";
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                problems.Add(rows.GetString(0));
            }
        }

        return problems is ["ok"]
            ? new StoreCheck(name, true, "ok")
            : new StoreCheck(name, false, string.Join("; ", problems));
    }

    private static StoreCheck Schema(SqliteConnection connection)
    {
        int version;
        try
        {
            version = SchemaMigrations.CurrentVersion(connection);
        }
        catch (SqliteException exception)
        {
            return new StoreCheck("schema", false, $"no schema_version table: not a store of this sidecar ({exception.Message})");
        }

        var latest = SchemaMigrations.LatestVersion;
        return version switch
        {
            _ when version == latest => new StoreCheck("schema", true, $"version {version}"),
            _ when version < latest => new StoreCheck("schema", true, $"version {version}; the next open migrates it to {latest}"),
            _ => new StoreCheck("schema", false, $"version {version}, newer than this sidecar understands ({latest})"),
        };
    }

    /// <summary>The counts getStatus answers from must equal the rows: a drift would show the user wrong numbers.</summary>
    private static StoreCheck Counts(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COALESCE(c.workspace, r.workspace), COALESCE(c.status, r.status), COALESCE(c.count, 0), COALESCE(r.count, 0)
            FROM (SELECT workspace, status, count FROM queue_counts WHERE count <> 0) c
            FULL OUTER JOIN (SELECT workspace, status, COUNT(*) AS count FROM operations GROUP BY workspace, status) r
              ON r.workspace = c.workspace AND r.status = c.status
            WHERE COALESCE(c.count, 0) <> COALESCE(r.count, 0);
            """;
        var drift = new List<string>();
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                drift.Add(string.Create(CultureInfo.InvariantCulture, $"{rows.GetString(0)} status {rows.GetInt64(1)}: counted {rows.GetInt64(2)}, rows {rows.GetInt64(3)}"));
            }
        }

        return drift.Count == 0
            ? new StoreCheck("counts", true, "queue counts match the rows")
            : new StoreCheck("counts", false, string.Join("; ", drift));
    }
}
