namespace OfflineSidecar.Core.Storage.Partitions;

/// <summary>
/// Moves the queue of one partition into another of the same account (a new token of an account that already had work
/// here, learnt only when the server answered). Operations keep their seq, so per-entity order is still enqueue order;
/// the moved partition's cache is dropped (the target's is the same server's documents).
/// </summary>
internal static class PartitionMerge
{
    /// <returns>How many operations moved.</returns>
    public static int Into(WriteSession session, string from, string into)
    {
        var entities = new List<string>();
        using (var rows = session.Sql("SELECT DISTINCT entity_id FROM operations WHERE workspace = $f AND entity_id IS NOT NULL AND " + DocumentSql.Unfinished + ";")
                   .With("$f", from).ExecuteReader())
        {
            while (rows.Read())
            {
                entities.Add(rows.GetString(0));
            }
        }

        var moved = session.Sql("UPDATE operations SET workspace = $t WHERE workspace = $f;").With("$t", into).With("$f", from).ExecuteNonQuery();

        // Both partitions may hold unfinished work of one entity: its earliest now leads, wherever it came from.
        foreach (var entity in entities)
        {
            session.Sql($"""
                    UPDATE operations
                    SET is_head = (seq = (SELECT MIN(o.seq) FROM operations o WHERE o.workspace = $t AND o.entity_id = $e AND o.{DocumentSql.Unfinished}))
                    WHERE workspace = $t AND entity_id = $e AND {DocumentSql.Unfinished};
                    """)
                .With("$t", into).With("$e", entity)
                .ExecuteNonQuery();
        }

        // An UPDATE of the workspace column is not counted by any trigger: both partitions' counts are taken afresh.
        session.Sql("DELETE FROM queue_counts WHERE workspace IN ($f, $t);").With("$f", from).With("$t", into).ExecuteNonQuery();
        session.Sql("""
                INSERT INTO queue_counts (workspace, status, count)
                SELECT $t, status, COUNT(*) FROM operations WHERE workspace = $t GROUP BY status;
                """)
            .With("$t", into)
            .ExecuteNonQuery();

        session.Sql("UPDATE OR IGNORE cache_bases SET workspace = $t WHERE workspace = $f;").With("$t", into).With("$f", from).ExecuteNonQuery();
        PartitionErase.Rows(session, from);
        session.Touch(into);
        session.TouchAllDocuments(into);
        return moved;
    }
}
