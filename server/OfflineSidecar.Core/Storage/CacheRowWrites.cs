using System.Buffers;
using System.Text;
using System.Text.Json;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Writes what the server said about many entities at once, set-based: one read of the cached rows they replace, one
/// statement for the merge bases, one upsert from a JSON array, instead of two statements per row. At 1,000 rows a page,
/// binding parameters row by row cost more than SQLite's own work (the pull's writer time, measured).
/// </summary>
internal static class CacheRowWrites
{
    // The rows are rendered once into `raw` and split once into `r`: json_each renders an element anew each time it
    // is read, and MATERIALIZED keeps the planner from inlining either back into the INSERT (as OutcomeWrites does).
    private const string UpsertSql = """
        WITH raw AS MATERIALIZED (SELECT value AS v FROM json_each($rows)),
             r AS MATERIALIZED (SELECT v ->> 0 AS id, v ->> 1 AS type, v ->> 2 AS version, v ->> 3 AS deleted,
                                       v ->> 4 AS size, v ->> 5 AS bytes, v ->> 6 AS payload FROM raw)
        INSERT INTO cache_entities (workspace, entity_id, type, version, deleted, evicted, pinned, size, payload_bytes,
                                    fetched_at, changed_at, access_seq, generation, payload)
        SELECT $w, r.id, r.type, r.version, r.deleted, 0, 0, r.size, r.bytes, $now, $now, $access, $g, r.payload
        FROM r WHERE true
        ON CONFLICT (workspace, entity_id) DO UPDATE SET
            type = excluded.type, version = excluded.version, deleted = excluded.deleted, evicted = 0,
            size = excluded.size, payload_bytes = excluded.payload_bytes, fetched_at = excluded.fetched_at,
            changed_at = MAX(excluded.changed_at, cache_entities.changed_at + 1), generation = excluded.generation,
            payload = excluded.payload;
        """;

    /// <summary>
    /// Writes each change that is newer than its cached row (or fills a stub of the same version), adds what that does
    /// to <paramref name="totals"/>, and stamps the rows it leaves with <paramref name="generation"/>. Each entity once
    /// (the caller keeps the latest change of each). Returns the ids written.
    /// </summary>
    public static List<string> Write(
        WriteSession session, string workspace, IReadOnlyList<ChangeRecord> changes, long generation, long accessSeq, long now, CacheTotalsDelta totals)
    {
        if (changes.Count == 0)
        {
            return [];
        }

        var cached = Cached(session, workspace, changes);
        var written = new List<string>(changes.Count);
        List<string>? replaced = null;
        List<string>? restamp = null;
        var rows = new ArrayBufferWriter<byte>(changes.Count * 320);
        using (var json = new Utf8JsonWriter(rows))
        {
            json.WriteStartArray();
            for (var i = 0; i < changes.Count; i++)
            {
                var change = changes[i];
                var old = cached[i];
                // The same version fills a stub again (an evicted document fetched); otherwise only newer versions are written.
                if (old is { } current && (current.Version > change.Version || (current.Version == change.Version && !current.Evicted)))
                {
                    if (current.Generation != generation)
                    {
                        (restamp ??= []).Add(change.EntityId);
                    }

                    continue;
                }

                if (old is { Deleted: false, Evicted: false })
                {
                    (replaced ??= []).Add(change.EntityId);
                }

                var payload = change.Deleted ? null : change.PayloadJson;
                var bytes = payload is null ? 0 : Encoding.UTF8.GetByteCount(payload);
                var size = payload is null ? 0 : DocumentPayload.TryReadContent(payload) is { } text ? Encoding.UTF8.GetByteCount(text) : bytes;
                json.WriteStartArray();
                json.WriteStringValue(change.EntityId);
                json.WriteStringValue(change.Type);
                json.WriteNumberValue(change.Version);
                json.WriteNumberValue(change.Deleted ? 1 : 0);
                json.WriteNumberValue(size);
                json.WriteNumberValue(bytes);
                if (payload is null)
                {
                    json.WriteNullValue();
                }
                else
                {
                    json.WriteStringValue(payload);
                }

                json.WriteEndArray();
                totals.Add(old?.Totals, (change.Deleted, false, bytes));
                written.Add(change.EntityId);
            }

            json.WriteEndArray();
        }

        if (replaced is not null)
        {
            MergeBases.KeepReplaced(session, workspace, replaced);
        }

        if (written.Count > 0)
        {
            session.Sql(UpsertSql)
                .With("$rows", Encoding.UTF8.GetString(rows.WrittenSpan))
                .With("$w", workspace)
                .With("$now", now)
                .With("$access", accessSeq)
                .With("$g", generation)
                .ExecuteNonQuery();
        }

        if (restamp is not null)
        {
            session.Sql("UPDATE cache_entities SET generation = $g WHERE workspace = $w AND entity_id IN (SELECT value FROM json_each($ids));")
                .With("$g", generation)
                .With("$w", workspace)
                .With("$ids", CacheMaintenance.IdsJson(restamp))
                .ExecuteNonQuery();
        }

        return written;
    }

    /// <summary>The cached rows of the changes' entities, by the changes' positions (null where none is cached).</summary>
    private static CachedRow?[] Cached(WriteSession session, string workspace, IReadOnlyList<ChangeRecord> changes)
    {
        var cached = new CachedRow?[changes.Count];
        using var rows = session.Sql("""
                SELECT j.key, c.version, c.deleted, c.evicted, c.payload_bytes, c.generation
                FROM json_each($ids) AS j CROSS JOIN cache_entities AS c ON c.workspace = $w AND c.entity_id = j.value;
                """)
            .With("$ids", CacheMaintenance.IdsJson(changes.Select(c => c.EntityId)))
            .With("$w", workspace)
            .ExecuteReader();
        while (rows.Read())
        {
            cached[rows.GetInt32(0)] = new CachedRow(rows.GetInt64(1), rows.GetInt64(2) == 1, rows.GetInt64(3) == 1, rows.GetInt64(4), rows.GetInt64(5));
        }

        return cached;
    }
}
