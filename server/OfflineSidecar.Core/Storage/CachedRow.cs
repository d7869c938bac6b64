namespace OfflineSidecar.Core.Storage;

/// <summary>The columns a cache write needs to decide about one cached row (read on the writer, in its transaction).</summary>
internal readonly record struct CachedRow(long Version, bool Deleted, bool Evicted, long PayloadBytes, long Generation)
{
    public (bool Deleted, bool Evicted, long Bytes) Totals => (Deleted, Evicted, PayloadBytes);

    public static CachedRow? Read(WriteSession session, string workspace, string entityId)
    {
        using var row = session.Sql("SELECT version, deleted, evicted, payload_bytes, generation FROM cache_entities WHERE workspace = $w AND entity_id = $e;")
            .With("$w", workspace)
            .With("$e", entityId)
            .ExecuteReader();
        return row.Read() ? new CachedRow(row.GetInt64(0), row.GetInt64(1) == 1, row.GetInt64(2) == 1, row.GetInt64(3), row.GetInt64(4)) : null;
    }
}
