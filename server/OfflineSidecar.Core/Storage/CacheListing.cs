using System.Text;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// A page of the documents under a prefix, in id order, with the user's unfinished work overlaid: the cache's rows and the
/// entities with unfinished operations are two sorted streams read in bounded chunks and merged here, so a page costs
/// what it shows, not what the workspace holds. With a delimiter, a sub-folder is reported once and both streams skip
/// past it with one seek (S3's common prefixes), so a folder of 10,000 documents inside a workspace of a million lists
/// as fast as a workspace of 10,000.
/// </summary>
internal sealed class CacheListing
{
    private const int Chunk = 1024;
    private const int FirstChunk = 16;
    private const string CursorPrefix = "c1.";

    // The upper bound is a clause of its own, never "($upper IS NULL OR id < $upper)": with that, SQLite cannot end the
    // index range at the bound, and the last read of a folder walked every later row of the workspace (a 10,000-document
    // folder listed 4x slower inside a million documents).
    private static readonly string ServerFromSql = ServerSql("");
    private static readonly string ServerRangeSql = ServerSql("AND entity_id < $upper");
    private static readonly string WorkFromSql = WorkSql("AND o.entity_id >= $from");
    private static readonly string WorkRangeSql = WorkSql("AND o.entity_id >= $from AND o.entity_id < $upper");
    private static readonly string WorkOfOneSql = WorkSql($"""
        AND o.entity_id = (SELECT MIN(p.entity_id) FROM operations AS p INDEXED BY ix_operations_entity
                           WHERE p.workspace = $w AND p.entity_id >= $from AND p.{DocumentSql.Unfinished})
        """);

    private readonly string prefix;
    private readonly string? delimiter;
    private readonly ServerStream server;
    private readonly WorkStream work;

    public CacheListing(StatementCache reader, string workspace, string? prefix, string? delimiter)
    {
        this.prefix = prefix ?? string.Empty;
        this.delimiter = string.IsNullOrEmpty(delimiter) ? null : delimiter;
        var upper = Utf8Order.UpperBound(this.prefix);
        server = new ServerStream(reader, workspace, upper, this.delimiter is null ? Chunk : FirstChunk);
        work = new WorkStream(reader, workspace, upper);
    }

    public CachePage Page(string? cursor, int limit, Func<long> total)
    {
        var from = cursor is null ? prefix : DecodeCursor(cursor);
        var shown = new List<(string Key, CacheEntry? Entry)>(Math.Min(limit + 1, 1024));
        // One more than the page: whether it exists decides nextCursor.
        while (shown.Count <= limit && Next(ref from) is { } found)
        {
            shown.Add(found);
        }

        var more = shown.Count > limit;
        if (more)
        {
            shown.RemoveAt(shown.Count - 1);
        }

        var items = new List<CacheEntry>(shown.Count);
        var folders = new List<string>();
        foreach (var (key, entry) in shown)
        {
            if (entry is null)
            {
                folders.Add(key);
            }
            else
            {
                items.Add(entry);
            }
        }

        var next = more ? EncodeCursor(ResumeAfter(shown[^1].Key, shown[^1].Entry is null)) : null;
        return new CachePage(items, folders, next, total());
    }

    /// <summary>True when something visible lies under the prefix (a folder exists as long as one of its documents does).</summary>
    public bool HasAny()
    {
        var from = prefix;
        return Next(ref from) is not null;
    }

    /// <summary>The next document or sub-folder at or after <paramref name="from"/>; moves <paramref name="from"/> past it.</summary>
    private (string Key, CacheEntry? Entry)? Next(ref string from)
    {
        while (true)
        {
            var row = server.PeekFrom(from);
            var pending = work.PeekFrom(from);
            if (row is null && pending is null)
            {
                return null;
            }

            var key = row is null ? pending!.Value.EntityId
                : pending is null ? row.Value.EntityId
                : Utf8Order.Instance.Compare(row.Value.EntityId, pending.Value.EntityId) <= 0 ? row.Value.EntityId : pending.Value.EntityId;
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return null;
            }

            var entry = DocumentOverlay.Compose(
                key,
                row?.EntityId == key ? row.Value.Row : null,
                pending?.EntityId == key ? pending.Value.Work : []);
            var slash = delimiter is null ? -1 : key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            if (slash >= 0 && entry is not null)
            {
                var folder = key[..(slash + delimiter!.Length)];
                from = ResumeAfter(folder, isFolder: true);
                return (folder, null);
            }

            from = Utf8Order.After(key);
            if (entry is not null && slash < 0)
            {
                return (key, entry);
            }
        }
    }

    private static string ServerSql(string upperBound) => $"""
        SELECT {CacheRows.ServerColumns} FROM cache_entities
        WHERE workspace = $w AND entity_id >= $from {upperBound}
        ORDER BY entity_id LIMIT $chunk;
        """;

    private static string WorkSql(string range) => $"""
        SELECT {CacheRows.WorkColumns("o", withPayload: false)} FROM operations AS o INDEXED BY ix_operations_entity
        WHERE o.workspace = $w {range} AND o.{DocumentSql.Unfinished}
        ORDER BY o.entity_id, o.seq LIMIT $limit;
        """;

    private static string ResumeAfter(string key, bool isFolder) =>
        isFolder && Utf8Order.UpperBound(key) is { } end ? end : Utf8Order.After(key);

    private static string EncodeCursor(string from) =>
        CursorPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(from)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private string DecodeCursor(string cursor)
    {
        string? from = null;
        if (cursor.StartsWith(CursorPrefix, StringComparison.Ordinal))
        {
            var text = cursor[CursorPrefix.Length..].Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
            try
            {
                from = Encoding.UTF8.GetString(Convert.FromBase64String(text));
            }
            catch (FormatException)
            {
            }
        }

        if (from is null || !from.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw OperationInputRules.Invalid("cursor: not a cursor of this listing");
        }

        return from;
    }

    /// <summary>
    /// cache_entities in id order from a position, read a chunk at a time. A chunk starts small after a seek (a folder
    /// skipped needs one row, not a chunk) and doubles while the reads are sequential; a listing without folders starts
    /// with a whole chunk, as it reads on from where it starts.
    /// </summary>
    private sealed class ServerStream(StatementCache reader, string workspace, string? upper, int firstChunk)
    {
        private readonly List<(string EntityId, DocumentOverlay.ServerRow Row)> buffer = [];
        private int next;
        private int chunk = firstChunk / 2;
        private string? bufferFrom;
        private bool exhausted;

        public (string EntityId, DocumentOverlay.ServerRow Row)? PeekFrom(string from)
        {
            while (true)
            {
                while (next < buffer.Count && Utf8Order.Instance.Compare(buffer[next].EntityId, from) < 0)
                {
                    next++;
                }

                if (next < buffer.Count)
                {
                    return buffer[next];
                }

                if (exhausted && bufferFrom is not null && Utf8Order.Instance.Compare(from, bufferFrom) >= 0)
                {
                    return null;
                }

                var sequential = bufferFrom is null || (buffer.Count > 0 && from == Utf8Order.After(buffer[^1].EntityId));
                chunk = sequential ? Math.Min(chunk * 2, Chunk) : FirstChunk;
                Fill(from);
            }
        }

        private void Fill(string from)
        {
            buffer.Clear();
            next = 0;
            bufferFrom = from;
            using var rows = reader.Sql(upper is null ? ServerFromSql : ServerRangeSql)
                .With("$w", workspace)
                .With("$from", from)
                .With("$upper", upper)
                .With("$chunk", chunk)
                .ExecuteReader();
            while (rows.Read())
            {
                buffer.Add((rows.GetString(0), CacheRows.ReadServer(rows, withPayload: false)));
            }

            exhausted = buffer.Count < chunk;
        }
    }

    /// <summary>Entities with unfinished operations in id order (each with its operations in enqueue order), a chunk at a time.</summary>
    private sealed class WorkStream(StatementCache reader, string workspace, string? upper)
    {
        private readonly List<(string EntityId, List<DocumentOverlay.Work> Work)> buffer = [];
        private int next;
        private string? bufferFrom;
        private bool exhausted;

        public (string EntityId, List<DocumentOverlay.Work> Work)? PeekFrom(string from)
        {
            while (true)
            {
                while (next < buffer.Count && Utf8Order.Instance.Compare(buffer[next].EntityId, from) < 0)
                {
                    next++;
                }

                if (next < buffer.Count)
                {
                    return buffer[next];
                }

                if (exhausted && bufferFrom is not null && Utf8Order.Instance.Compare(from, bufferFrom) >= 0)
                {
                    return null;
                }

                Fill(from);
            }
        }

        private void Fill(string from)
        {
            buffer.Clear();
            next = 0;
            bufferFrom = from;
            var read = Read(from, Chunk);
            exhausted = read < Chunk;
            if (!exhausted && buffer.Count > 1)
            {
                // The chunk may have cut the last entity's operations short: it is read again with the next chunk.
                buffer.RemoveAt(buffer.Count - 1);
            }
            else if (!exhausted)
            {
                // One entity with more unfinished operations than a chunk: read all of them.
                buffer.Clear();
                Read(from, limit: null, onlyEntity: true);
                exhausted = false;
            }
        }

        private int Read(string from, int? limit, bool onlyEntity = false)
        {
            var read = 0;
            using var rows = reader.Sql(onlyEntity ? WorkOfOneSql : upper is null ? WorkFromSql : WorkRangeSql)
                .With("$w", workspace)
                .With("$from", from)
                .With("$upper", upper)
                .With("$limit", limit ?? -1)
                .ExecuteReader();
            while (rows.Read())
            {
                read++;
                var entityId = rows.GetString(0);
                if (buffer.Count == 0 || buffer[^1].EntityId != entityId)
                {
                    buffer.Add((entityId, []));
                }

                buffer[^1].Work.Add(CacheRows.ReadWork(rows, withPayload: false));
            }

            return read;
        }
    }
}
