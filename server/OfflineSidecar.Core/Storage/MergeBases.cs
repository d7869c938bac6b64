namespace OfflineSidecar.Core.Storage;

/// <summary>
/// The server content an unfinished operation was written on (its expected version), kept once a newer version replaces
/// it in cache_entities, so a conflict can be merged three ways. Few rows: one per document with unfinished work that
/// the server moved under.
/// </summary>
internal static class MergeBases
{
    private static readonly string KeepReplacedSql = $"""
        INSERT OR IGNORE INTO cache_bases (workspace, entity_id, version, payload)
        SELECT c.workspace, c.entity_id, c.version, c.payload
        FROM json_each($ids) AS j CROSS JOIN cache_entities AS c ON c.workspace = $w AND c.entity_id = j.value
        WHERE c.payload IS NOT NULL
          AND EXISTS (SELECT 1 FROM operations AS o INDEXED BY ix_operations_entity
                      WHERE o.workspace = $w AND o.entity_id = c.entity_id AND o.{DocumentSql.Unfinished}
                        AND o.expected_version = c.version);
        """;

    /// <summary>Before the cached rows of <paramref name="entityIds"/> are replaced by newer versions: keeps those an
    /// unfinished operation is written on.</summary>
    public static void KeepReplaced(WriteSession session, string workspace, IReadOnlyCollection<string> entityIds) =>
        session.Sql(KeepReplacedSql).With("$w", workspace).With("$ids", CacheMaintenance.IdsJson(entityIds)).ExecuteNonQuery();

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
