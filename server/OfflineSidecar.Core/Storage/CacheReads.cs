using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage;

/// <summary>The op cache's reads, on a reader connection: the server's rows with the user's unfinished work overlaid.</summary>
internal static class CacheReads
{
    public static CacheEntry? Get(StatementCache reader, string workspace, string entityId, bool withPayload)
    {
        DocumentOverlay.ServerRow? server = null;
        using (var row = reader.Sql($"SELECT {CacheRows.ServerColumns}{(withPayload ? ", payload" : "")} FROM cache_entities WHERE workspace = $w AND entity_id = $e;")
                   .With("$w", workspace)
                   .With("$e", entityId)
                   .ExecuteReader())
        {
            if (row.Read())
            {
                server = CacheRows.ReadServer(row, withPayload);
            }
        }

        return DocumentOverlay.Compose(entityId, server, Work(reader, workspace, entityId, withPayload));
    }

    /// <summary>One entity's unfinished operations in enqueue order (coalescing keeps them few).</summary>
    public static List<DocumentOverlay.Work> Work(StatementCache reader, string workspace, string entityId, bool withPayload)
    {
        var work = new List<DocumentOverlay.Work>();
        using var rows = reader.Sql($"""
                SELECT {CacheRows.WorkColumns("o", withPayload: withPayload)} FROM operations AS o INDEXED BY ix_operations_entity
                WHERE o.workspace = $w AND o.entity_id = $e AND o.{DocumentSql.Unfinished}
                ORDER BY o.seq;
                """)
            .With("$w", workspace)
            .With("$e", entityId)
            .ExecuteReader();
        while (rows.Read())
        {
            work.Add(CacheRows.ReadWork(rows, withPayload));
        }

        return work;
    }

    public static CacheTotals Totals(StatementCache reader, string workspace)
    {
        using var row = reader.Sql("SELECT entities, bytes FROM cache_totals WHERE workspace = $w;").With("$w", workspace).ExecuteReader();
        return row.Read() ? new CacheTotals(row.GetInt64(0), row.GetInt64(1)) : CacheTotals.Empty;
    }

    public static PullState PullState(StatementCache reader, string workspace) => PullStateRow.Read(reader, workspace);

    /// <summary>The server content of <paramref name="version"/>, kept as a merge base or still the cached row.</summary>
    public static string? Base(StatementCache reader, string workspace, string entityId, long version) =>
        reader.Sql("""
                SELECT payload FROM cache_bases WHERE workspace = $w AND entity_id = $e AND version = $v
                UNION ALL
                SELECT payload FROM cache_entities
                WHERE workspace = $w AND entity_id = $e AND version = $v AND deleted = 0 AND payload IS NOT NULL
                LIMIT 1;
                """)
            .With("$w", workspace)
            .With("$e", entityId)
            .With("$v", version)
            .ExecuteScalar() as string;

    /// <summary>How many documents a listing of <paramref name="prefix"/> holds in all: the cached rows under it, plus
    /// those created here, minus those deleted here.</summary>
    public static long CountUnder(StatementCache reader, string workspace, string prefix)
    {
        var upper = Utf8Order.UpperBound(prefix);
        long count;
        if (prefix.Length == 0)
        {
            count = Totals(reader, workspace).Entities;
        }
        else if (upper is not null)
        {
            // The id index alone counts the range; testing deleted on each row would read every row of it (a 10,000-document
            // folder: 20 ms instead of 1). Tombstones are few and have an index of their own.
            count = reader.Sql("""
                    SELECT (SELECT COUNT(*) FROM cache_entities WHERE workspace = $w AND entity_id >= $p AND entity_id < $u)
                         - (SELECT COUNT(*) FROM cache_entities INDEXED BY ix_cache_tombstones
                            WHERE workspace = $w AND deleted = 1 AND entity_id >= $p AND entity_id < $u);
                    """)
                .With("$w", workspace)
                .With("$p", prefix)
                .With("$u", upper)
                .ScalarInt64() ?? 0;
        }
        else
        {
            count = 0;
            using var ids = reader.Sql("SELECT entity_id FROM cache_entities WHERE workspace = $w AND entity_id >= $p AND deleted = 0 ORDER BY entity_id;")
                .With("$w", workspace)
                .With("$p", prefix)
                .ExecuteReader();
            while (ids.Read() && ids.GetString(0).StartsWith(prefix, StringComparison.Ordinal))
            {
                count++;
            }
        }

        // The whole workspace: walk the unfinished operations by status (the entity index would also walk every
        // succeeded one); a folder: by entity, which its range keeps short.
        var unfinished = prefix.Length == 0
            ? "o.status IN (" + StoredStatus.NotSucceeded + ")"
            : "o.entity_id >= $p AND ($u IS NULL OR o.entity_id < $u) AND o." + DocumentSql.Unfinished;
        string? lastEntity = null;
        string? lastType = null;
        var lastOnServer = false;
        using (var rows = reader.Sql($"""
                       SELECT o.entity_id, o.type, COALESCE(c.deleted = 0, 0) FROM operations AS o
                       LEFT JOIN cache_entities AS c ON c.workspace = o.workspace AND c.entity_id = o.entity_id
                       WHERE o.workspace = $w AND {unfinished} AND o.type IN ({DocumentTypes.SqlList}) AND o.entity_id IS NOT NULL
                       ORDER BY o.entity_id, o.seq;
                       """)
                   .With("$w", workspace)
                   .With("$p", prefix)
                   .With("$u", upper)
                   .ExecuteReader())
        {
            while (rows.Read())
            {
                var entityId = rows.GetString(0);
                if (!entityId.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (entityId != lastEntity)
                {
                    count += Adjustment(lastType, lastOnServer);
                    lastEntity = entityId;
                }

                lastType = rows.GetString(1);
                lastOnServer = rows.GetInt64(2) == 1;
            }
        }

        return count + Adjustment(lastType, lastOnServer);

        static long Adjustment(string? lastDocumentType, bool onServer) => lastDocumentType switch
        {
            DocumentTypes.Put when !onServer => 1,
            DocumentTypes.Delete when onServer => -1,
            _ => 0,
        };
    }

    /// <summary>
    /// Documents with unfinished work and the state their decoration shows, at most <paramref name="max"/> operations
    /// read (the caller says when that cut the list short).
    /// </summary>
    public static (List<UnsyncedDocument> Documents, bool Truncated) Unsynced(StatementCache reader, string workspace, int max)
    {
        var byEntity = new Dictionary<string, (List<DocumentOverlay.Work> Work, bool OnServer)>(StringComparer.Ordinal);
        var read = 0;
        using (var rows = reader.Sql($"""
                       SELECT {CacheRows.WorkColumns("o", withSize: false, withPayload: false)}, COALESCE(c.deleted = 0, 0) FROM operations AS o
                       LEFT JOIN cache_entities AS c ON c.workspace = o.workspace AND c.entity_id = o.entity_id
                       WHERE o.workspace = $w AND o.status IN ({StoredStatus.NotSucceeded}) AND o.entity_id IS NOT NULL
                       ORDER BY o.seq LIMIT $max;
                       """)
                   .With("$w", workspace)
                   .With("$max", max + 1)
                   .ExecuteReader())
        {
            while (rows.Read())
            {
                if (++read > max)
                {
                    break;
                }

                var entityId = rows.GetString(0);
                if (!byEntity.TryGetValue(entityId, out var entry))
                {
                    entry = ([], rows.GetInt64(7) == 1);
                    byEntity[entityId] = entry;
                }

                entry.Work.Add(CacheRows.ReadWork(rows, withPayload: false));
            }
        }

        var documents = new List<UnsyncedDocument>(byEntity.Count);
        foreach (var (entityId, (work, onServer)) in byEntity)
        {
            documents.Add(new UnsyncedDocument(entityId, DocumentOverlay.StateOf(work, onServer), work[^1].OperationId));
        }

        documents.Sort((a, b) => Utf8Order.Instance.Compare(a.EntityId, b.EntityId));
        return (documents, read > max);
    }
}
