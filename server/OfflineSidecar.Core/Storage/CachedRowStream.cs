using OfflineSidecar.Core.Cache;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// cache_entities in id order. A chunk starts small after a seek (a folder skipped needs one row, not a chunk) and
/// doubles while the reads are sequential.
/// </summary>
internal sealed class CachedRowStream(StatementCache reader, string workspace, string? upper, bool sequentialStart)
    : IdOrderedStream<DocumentOverlay.ServerRow>
{
    private const int MaxChunk = 1024;
    private const int FirstChunk = 16;

    private static readonly string FromSql = Sql("");
    private static readonly string RangeSql = Sql("AND entity_id < $upper");

    private int chunk = sequentialStart ? MaxChunk / 2 : FirstChunk / 2;

    protected override void Fill(string from, bool sequential)
    {
        chunk = sequential ? Math.Min(chunk * 2, MaxChunk) : FirstChunk;
        using var rows = reader.Sql(upper is null ? FromSql : RangeSql)
            .With("$w", workspace)
            .With("$from", from)
            .With("$upper", upper)
            .With("$chunk", chunk)
            .ExecuteReader();
        while (rows.Read())
        {
            Buffer.Add((rows.GetString(0), CacheRows.ReadServer(rows, withPayload: false)));
        }

        Exhausted = Buffer.Count < chunk;
    }

    private static string Sql(string upperBound) => $"""
        SELECT {CacheRows.ServerColumns} FROM cache_entities
        WHERE workspace = $w AND entity_id >= $from {upperBound}
        ORDER BY entity_id LIMIT $chunk;
        """;
}
