using System.Buffers;
using System.Text;
using System.Text.Json;
using OfflineSidecar.Core.Cache;

namespace OfflineSidecar.Core.Storage;

/// <summary>The cache's own upkeep, each part of a writer transaction: tombstones, reads, pins, open documents, eviction.</summary>
internal static class CacheMaintenance
{
    /// <summary>How much of the cache one eviction round takes (Firestore's LRU collector takes the same share).</summary>
    public const double EvictionShare = 0.10;

    /// <summary>
    /// A tombstone is kept only while its entity has unfinished work: a late answer to one of those operations must find
    /// the newer (deleted) version and leave it alone instead of bringing an older one back.
    /// </summary>
    public static void PurgeTombstones(WriteSession session, string workspace) =>
        session.Sql($"""
                DELETE FROM cache_entities INDEXED BY ix_cache_tombstones
                WHERE workspace = $w AND deleted = 1
                  AND NOT EXISTS (SELECT 1 FROM operations AS o INDEXED BY ix_operations_entity
                                  WHERE o.workspace = $w AND o.entity_id = cache_entities.entity_id AND o.{DocumentSql.Unfinished});
                """)
            .With("$w", workspace)
            .ExecuteNonQuery();

    /// <summary>Writes the access counter of documents read since the last flush (a lost flush only blurs the LRU order).</summary>
    public static void RecordReads(WriteSession session, string workspace, IReadOnlyCollection<KeyValuePair<string, long>> reads)
    {
        if (reads.Count == 0)
        {
            return;
        }

        session.Sql("""
                UPDATE cache_entities SET access_seq = MAX(access_seq, r.value ->> 1)
                FROM json_each($reads) AS r
                WHERE cache_entities.workspace = $w AND cache_entities.entity_id = r.value ->> 0;
                """)
            .With("$w", workspace)
            .With("$reads", PairsJson(reads))
            .ExecuteNonQuery();
    }

    public static int SetPinned(WriteSession session, string workspace, IReadOnlyCollection<string> entityIds, bool pinned)
    {
        var count = session.Sql("""
                UPDATE cache_entities SET pinned = $p
                WHERE workspace = $w AND entity_id IN (SELECT value FROM json_each($ids)) AND pinned <> $p;
                """)
            .With("$p", pinned ? 1 : 0)
            .With("$w", workspace)
            .With("$ids", IdsJson(entityIds))
            .ExecuteNonQuery();
        if (count > 0)
        {
            PullStateRow.Stamp(session, workspace);
            session.TouchDocuments(workspace, entityIds);
        }

        return count;
    }

    /// <summary>Documents open in one sidecar's editor (its <paramref name="owner"/>), which eviction leaves alone.</summary>
    public static void SetOpen(WriteSession session, string workspace, string owner, IReadOnlyCollection<string> entityIds, bool open) =>
        session.Sql(open
                ? "INSERT OR IGNORE INTO cache_open (workspace, entity_id, owner) SELECT $w, value, $o FROM json_each($ids);"
                : "DELETE FROM cache_open WHERE workspace = $w AND owner = $o AND entity_id IN (SELECT value FROM json_each($ids));")
            .With("$w", workspace)
            .With("$o", owner)
            .With("$ids", IdsJson(entityIds))
            .ExecuteNonQuery();

    /// <summary>Forgets the open documents of sidecars that are gone (their process ended without saying so).</summary>
    public static int ForgetOwners(WriteSession session, Func<string, bool> isGone)
    {
        var gone = new List<string>();
        using (var owners = session.Sql("SELECT DISTINCT owner FROM cache_open;").ExecuteReader())
        {
            while (owners.Read())
            {
                if (isGone(owners.GetString(0)))
                {
                    gone.Add(owners.GetString(0));
                }
            }
        }

        var removed = 0;
        foreach (var owner in gone)
        {
            removed += session.Sql("DELETE FROM cache_open WHERE owner = $o;").With("$o", owner).ExecuteNonQuery();
        }

        return removed;
    }

    /// <summary>
    /// While the cache holds more than <paramref name="maxBytes"/>, drops the payloads of the least recently read ~10 %
    /// of its documents (then again, if still over) and keeps each as a stub. Never a pinned document, one open in an
    /// editor, or one with unfinished work. Returns the ids evicted.
    /// </summary>
    public static List<string> Evict(WriteSession session, string workspace, long maxBytes)
    {
        var evicted = new List<string>();
        var totals = ReadTotals(session, workspace);
        var bytes = totals.Bytes;
        var round = (int)Math.Clamp(Math.Ceiling(totals.Entities * EvictionShare), 1, 100_000);
        while (bytes > maxBytes)
        {
            var victims = new List<(string EntityId, long Bytes)>(round);
            using (var rows = session.Sql($"""
                           SELECT c.entity_id, c.payload_bytes FROM cache_entities AS c INDEXED BY ix_cache_eviction
                           WHERE c.workspace = $w AND c.evicted = 0 AND c.pinned = 0 AND c.deleted = 0
                             AND NOT EXISTS (SELECT 1 FROM cache_open AS x WHERE x.workspace = $w AND x.entity_id = c.entity_id)
                             AND NOT EXISTS (SELECT 1 FROM operations AS o INDEXED BY ix_operations_entity
                                             WHERE o.workspace = $w AND o.entity_id = c.entity_id AND o.{DocumentSql.Unfinished})
                           ORDER BY c.access_seq LIMIT $n;
                           """)
                       .With("$w", workspace)
                       .With("$n", round)
                       .ExecuteReader())
            {
                while (rows.Read())
                {
                    victims.Add((rows.GetString(0), rows.GetInt64(1)));
                }
            }

            if (victims.Count == 0)
            {
                break;
            }

            var ids = victims.ConvertAll(v => v.EntityId);
            session.Sql("UPDATE cache_entities SET payload = NULL, evicted = 1 WHERE workspace = $w AND entity_id IN (SELECT value FROM json_each($ids));")
                .With("$w", workspace)
                .With("$ids", IdsJson(ids))
                .ExecuteNonQuery();
            var freed = victims.Sum(v => v.Bytes);
            var delta = new CacheTotalsDelta();
            delta.RemoveBytes(freed);
            delta.Apply(session, workspace);
            bytes -= freed;
            evicted.AddRange(ids);
        }

        if (evicted.Count > 0)
        {
            PullStateRow.Stamp(session, workspace);
            session.TouchDocuments(workspace, evicted);
        }

        return evicted;
    }

    public static CacheTotals ReadTotals(WriteSession session, string workspace)
    {
        using var row = session.Sql("SELECT entities, bytes FROM cache_totals WHERE workspace = $w;").With("$w", workspace).ExecuteReader();
        return row.Read() ? new CacheTotals(row.GetInt64(0), row.GetInt64(1)) : CacheTotals.Empty;
    }

    public static string IdsJson(IEnumerable<string> ids)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var id in ids)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string PairsJson(IEnumerable<KeyValuePair<string, long>> pairs)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (id, value) in pairs)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(id);
                writer.WriteNumberValue(value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
