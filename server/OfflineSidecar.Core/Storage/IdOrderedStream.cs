namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Rows of one kind in id order (UTF-8 byte order, as SQLite sorts), read a chunk at a time from a position that only
/// moves forward: what <see cref="CacheListing"/> merges. Subclasses say how a chunk is read.
/// <para>The upper bound of a prefix is a clause of its own in their SQL, never "($upper IS NULL OR id &lt; $upper)":
/// with that, SQLite cannot end the index range at the bound, and the last read of a folder walked every later row of
/// the workspace (a 10,000-document folder listed 4x slower inside a million documents).</para>
/// </summary>
internal abstract class IdOrderedStream<TItem>
{
    private int next;
    private string? bufferFrom;

    protected List<(string EntityId, TItem Item)> Buffer { get; } = [];

    /// <summary>The last read got everything from its position on.</summary>
    protected bool Exhausted { get; set; }

    /// <summary>The first item at or after <paramref name="from"/>, or null when none is left.</summary>
    public (string EntityId, TItem Item)? PeekFrom(string from)
    {
        while (true)
        {
            while (next < Buffer.Count && Utf8Order.Instance.Compare(Buffer[next].EntityId, from) < 0)
            {
                next++;
            }

            if (next < Buffer.Count)
            {
                return Buffer[next];
            }

            if (Exhausted && bufferFrom is not null && Utf8Order.Instance.Compare(from, bufferFrom) >= 0)
            {
                return null;
            }

            var sequential = bufferFrom is null || (Buffer.Count > 0 && from == Utf8Order.After(Buffer[^1].EntityId));
            Buffer.Clear();
            next = 0;
            bufferFrom = from;
            Fill(from, sequential);
        }
    }

    /// <summary>Reads the next chunk from <paramref name="from"/> into <see cref="Buffer"/> and sets <see cref="Exhausted"/>.
    /// <paramref name="sequential"/>: the read goes on where the last one ended (no seek in between).</summary>
    protected abstract void Fill(string from, bool sequential);
}
