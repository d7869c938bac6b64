using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>Turns SQLite failures into the queue's error kinds (the host maps those to protocol codes).</summary>
internal static class SqliteErrors
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteFull = 13;

    public static QueueException Map(SqliteException error) => error.SqliteErrorCode switch
    {
        SqliteFull => new QueueException(
            QueueErrorKind.StorageFull,
            "storage full: the disk (or the database size limit) has no room; the change was not saved and nothing already stored was harmed",
            error),
        SqliteBusy or SqliteLocked => new QueueException(
            QueueErrorKind.StorageFailure,
            "storage busy: another process kept the database locked for too long",
            error),
        _ => new QueueException(QueueErrorKind.StorageFailure, $"storage failure: {error.Message}", error),
    };

    public static QueueException Closed() => new(QueueErrorKind.StorageFailure, "storage failure: the operation store is closed");
}
