using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// The schema's count triggers fire once per changed row. On this process's writer they are switched off
/// (SQLITE_DBCONFIG_ENABLE_TRIGGER covers only triggers stored in the file) and replaced: TEMP copies keep counting
/// inserts and deletes row by row, and every statement that changes a status counts its own rows (StatusCounts).
/// A claim or an outcome batch moves dozens of rows; counting per row cost ~10 % of the writer's time per drained
/// operation (interleaved A/B, docs/performance.md, session 7).
/// The stored triggers stay in the file, so every other writer (an older sidecar, the sqlite3 shell) still counts,
/// and no schema change is needed for this.
/// </summary>
internal static class WriterTriggers
{
    private const string TempTriggers = """
        CREATE TEMP TRIGGER IF NOT EXISTS writer_count_insert AFTER INSERT ON main.operations BEGIN
            INSERT INTO queue_counts (workspace, status, count) VALUES (NEW.workspace, NEW.status, 1)
                ON CONFLICT (workspace, status) DO UPDATE SET count = count + 1;
        END;
        CREATE TEMP TRIGGER IF NOT EXISTS writer_count_delete AFTER DELETE ON main.operations BEGIN
            UPDATE queue_counts SET count = count - 1 WHERE workspace = OLD.workspace AND status = OLD.status;
        END;
        """;

    public static void Install(SqliteConnection writer)
    {
        var rc = SQLitePCL.raw.sqlite3_db_config(writer.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, out var enabled);
        if (rc != SQLitePCL.raw.SQLITE_OK || enabled != 0)
        {
            throw new QueueException(QueueErrorKind.StorageFailure, $"storage failure: cannot switch the stored triggers off (rc {rc})");
        }

        StoreConnections.Execute(writer, TempTriggers);
    }
}
