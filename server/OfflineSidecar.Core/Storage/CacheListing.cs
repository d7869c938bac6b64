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
    private const string CursorPrefix = "c1.";

    private readonly string prefix;
    private readonly string? delimiter;
    private readonly CachedRowStream server;
    private readonly UnfinishedWorkStream work;

    public CacheListing(StatementCache reader, string workspace, string? prefix, string? delimiter)
    {
        this.prefix = prefix ?? string.Empty;
        this.delimiter = string.IsNullOrEmpty(delimiter) ? null : delimiter;
        var upper = Utf8Order.UpperBound(this.prefix);
        // Without folders a listing reads on from where it starts; with them, most reads follow a seek past a folder.
        server = new CachedRowStream(reader, workspace, upper, sequentialStart: this.delimiter is null);
        work = new UnfinishedWorkStream(reader, workspace, upper);
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
                row?.EntityId == key ? row.Value.Item : null,
                pending?.EntityId == key ? pending.Value.Item : []);
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
}
