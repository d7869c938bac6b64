namespace OfflineSidecar.Core.Storage;

/// <summary>
/// What a transaction's row changes do to cache_totals, summed in C# from the old and new row of each write and
/// applied with one statement: the tables have no count triggers (only this code writes them).
/// </summary>
internal sealed class CacheTotalsDelta
{
    public long Entities { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>A row went from <paramref name="before"/> to <paramref name="after"/> (null = absent).</summary>
    public void Add((bool Deleted, bool Evicted, long Bytes)? before, (bool Deleted, bool Evicted, long Bytes)? after)
    {
        Entities += Counted(after) - Counted(before);
        Bytes += Held(after) - Held(before);
    }

    public void RemoveBytes(long bytes) => Bytes -= bytes;

    public void Apply(WriteSession session, string workspace)
    {
        if (Entities == 0 && Bytes == 0)
        {
            return;
        }

        session.Sql("""
                INSERT INTO cache_totals (workspace, entities, bytes) VALUES ($w, $e, $b)
                ON CONFLICT (workspace) DO UPDATE SET entities = entities + excluded.entities, bytes = bytes + excluded.bytes;
                """)
            .With("$w", workspace)
            .With("$e", Entities)
            .With("$b", Bytes)
            .ExecuteNonQuery();
        Entities = 0;
        Bytes = 0;
    }

    /// <summary>Counts again from the rows (after a statement whose effect on them is not known row by row).</summary>
    public static void Recount(WriteSession session, string workspace) =>
        session.Sql("""
                INSERT INTO cache_totals (workspace, entities, bytes)
                SELECT $w, COUNT(*) FILTER (WHERE deleted = 0), COALESCE(SUM(payload_bytes) FILTER (WHERE deleted = 0 AND evicted = 0), 0)
                FROM cache_entities WHERE workspace = $w
                ON CONFLICT (workspace) DO UPDATE SET entities = excluded.entities, bytes = excluded.bytes;
                """)
            .With("$w", workspace)
            .ExecuteNonQuery();

    private static long Counted((bool Deleted, bool Evicted, long Bytes)? row) => row is { Deleted: false } ? 1 : 0;

    private static long Held((bool Deleted, bool Evicted, long Bytes)? row) => row is { Deleted: false, Evicted: false } r ? r.Bytes : 0;
}
