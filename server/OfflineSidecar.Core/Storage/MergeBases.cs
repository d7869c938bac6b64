namespace OfflineSidecar.Core.Storage;

/// <summary>
/// The server content an unfinished operation was written on (its expected version), kept once a newer version replaces
/// it in cache_entities, so a conflict can be merged three ways. Few rows: one per document with unfinished work that
/// the server moved under.
/// </summary>
internal static class MergeBases
{
    /// <summary>Before the cached row of <paramref name="version"/> is replaced: keep it if an unfinished operation is based on it.</summary>
    public static void KeepIfNeeded(WriteSession session, string workspace, string entityId, long version) =>
        session.Sql($"""
                INSERT OR IGNORE INTO cache_bases (workspace, entity_id, version, payload)
                SELECT workspace, entity_id, version, payload FROM cache_entities
                WHERE workspace = $w AND entity_id = $e AND version = $v AND payload IS NOT NULL
                  AND EXISTS (SELECT 1 FROM operations INDEXED BY ix_operations_entity
                              WHERE workspace = $w AND entity_id = $e AND {DocumentSql.Unfinished} AND expected_version = $v);
                """)
            .With("$w", workspace)
            .With("$e", entityId)
            .With("$v", version)
            .ExecuteNonQuery();

    /// <summary>Keeps a server version's content that the caller knows an operation is now based on (a merge's server side).</summary>
    public static void Keep(WriteSession session, string workspace, string entityId, long version, string payloadJson) =>
        session.Sql("INSERT OR IGNORE INTO cache_bases (workspace, entity_id, version, payload) VALUES ($w, $e, $v, $p);")
            .With("$w", workspace)
            .With("$e", entityId)
            .With("$v", version)
            .With("$p", payloadJson)
            .ExecuteNonQuery();

    /// <summary>Drops bases no unfinished operation is written on any more.</summary>
    public static void ForgetUnused(WriteSession session, string workspace) =>
        session.Sql($"""
                DELETE FROM cache_bases
                WHERE workspace = $w AND NOT EXISTS (
                    SELECT 1 FROM operations AS o INDEXED BY ix_operations_entity
                    WHERE o.workspace = $w AND o.entity_id = cache_bases.entity_id AND o.{DocumentSql.Unfinished}
                      AND o.expected_version = cache_bases.version);
                """)
            .With("$w", workspace)
            .ExecuteNonQuery();
}
