using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage;

/// <summary>The column lists the cache's reads select, and their mapping to the overlay's inputs.</summary>
internal static class CacheRows
{
    /// <summary>cache_entities columns, entity_id first (ordinals 0–8); payload follows as 9 when asked for.</summary>
    public const string ServerColumns = "entity_id, type, version, deleted, evicted, pinned, size, fetched_at, changed_at";

    /// <summary>
    /// operations columns (of table alias <paramref name="o"/>), entity_id first (0–5), then the put's payload (6).
    /// SQLite evaluates every result column while stepping, so a caller that needs neither size nor payload says so.
    /// </summary>
    public static string WorkColumns(string o, bool withSize = true, bool withPayload = true) =>
        $"{o}.entity_id, {o}.id, {o}.type, {o}.status, COALESCE({o}.content_at, {o}.created_at), " +
        (withSize ? $"CASE WHEN {o}.type = '{DocumentTypes.Put}' THEN {DocumentSql.SizeOf(o + ".payload")} ELSE 0 END, " : "0, ") +
        (withPayload ? $"CASE WHEN {o}.type = '{DocumentTypes.Put}' THEN {o}.payload END" : "NULL");

    public static DocumentOverlay.ServerRow ReadServer(SqliteDataReader row, bool withPayload) => new(
        row.GetString(1),
        row.GetInt64(2),
        row.GetInt64(3) == 1,
        row.GetInt64(4) == 1,
        row.GetInt64(5) == 1,
        row.GetInt64(6),
        row.GetInt64(7),
        row.GetInt64(8),
        withPayload ? row.GetStringOrNull(9) : null);

    public static DocumentOverlay.Work ReadWork(SqliteDataReader row, bool withPayload) => new(
        row.GetString(1),
        row.GetString(2),
        (OperationStatus)row.GetInt32(3),
        row.GetInt64(4),
        row.GetInt64(5),
        withPayload ? row.GetStringOrNull(6) : null);
}
