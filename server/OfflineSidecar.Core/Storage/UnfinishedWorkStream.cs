using OfflineSidecar.Core.Cache;

namespace OfflineSidecar.Core.Storage;

/// <summary>Entities with unfinished operations in id order, each with its operations in enqueue order.</summary>
internal sealed class UnfinishedWorkStream(StatementCache reader, string workspace, string? upper)
    : IdOrderedStream<List<DocumentOverlay.Work>>
{
    private const int Chunk = 256;

    private static readonly string FromSql = Sql("AND o.entity_id >= $from");
    private static readonly string RangeSql = Sql("AND o.entity_id >= $from AND o.entity_id < $upper");
    private static readonly string OneEntitySql = Sql($"""
        AND o.entity_id = (SELECT MIN(p.entity_id) FROM operations AS p INDEXED BY ix_operations_entity
                           WHERE p.workspace = $w AND p.entity_id >= $from AND p.{DocumentSql.Unfinished})
        """);

    protected override void Fill(string from, bool sequential)
    {
        var read = Read(upper is null ? FromSql : RangeSql, from, Chunk);
        Exhausted = read < Chunk;
        if (!Exhausted && Buffer.Count > 1)
        {
            // The chunk may have cut the last entity's operations short: it is read again with the next chunk.
            Buffer.RemoveAt(Buffer.Count - 1);
        }
        else if (!Exhausted)
        {
            // One entity with more unfinished operations than a chunk: read all of them.
            Buffer.Clear();
            Read(OneEntitySql, from, limit: -1);
        }
    }

    private int Read(string sql, string from, int limit)
    {
        var read = 0;
        using var rows = reader.Sql(sql)
            .With("$w", workspace)
            .With("$from", from)
            .With("$upper", upper)
            .With("$limit", limit)
            .ExecuteReader();
        while (rows.Read())
        {
            read++;
            var entityId = rows.GetString(0);
            if (Buffer.Count == 0 || Buffer[^1].EntityId != entityId)
            {
                Buffer.Add((entityId, []));
            }

            Buffer[^1].Item.Add(CacheRows.ReadWork(rows, withPayload: false));
        }

        return read;
    }

    private static string Sql(string range) => $"""
        SELECT {CacheRows.WorkColumns("o", withPayload: false)} FROM operations AS o INDEXED BY ix_operations_entity
        WHERE o.workspace = $w {range} AND o.{DocumentSql.Unfinished}
        ORDER BY o.entity_id, o.seq LIMIT $limit;
        """;
}
