namespace OfflineSidecar.Core.Storage;

/// <summary>
/// The order SQLite's BINARY collation gives TEXT (memcmp of UTF-8, i.e. code point order), for merging its sorted
/// results in C#. UTF-16 ordinal order differs only where a surrogate pair (a code point above U+FFFF) meets a char
/// from U+E000 to U+FFFF: the pair sorts after it in UTF-8.
/// </summary>
internal sealed class Utf8Order : IComparer<string>
{
    public static readonly Utf8Order Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var common = Math.Min(x.Length, y.Length);
        for (var i = 0; i < common; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a == b)
            {
                continue;
            }

            var surrogateA = char.IsSurrogate(a);
            return surrogateA == char.IsSurrogate(b) ? a.CompareTo(b) : surrogateA ? 1 : -1;
        }

        return x.Length.CompareTo(y.Length);
    }

    /// <summary>The smallest string after every string that starts with <paramref name="prefix"/>; null when there is none
    /// that is cheap to name (an empty prefix, or one ending in a surrogate or U+FFFF).</summary>
    public static string? UpperBound(string prefix)
    {
        if (prefix.Length == 0)
        {
            return null;
        }

        var last = prefix[^1];
        return char.IsSurrogate(last) || last == char.MaxValue ? null : string.Concat(prefix.AsSpan(0, prefix.Length - 1), [(char)(last + 1)]);
    }

    /// <summary>The first string after <paramref name="key"/> in this order: nothing sorts between them.</summary>
    public static string After(string key) => key + '\0';
}
