namespace OfflineSidecar.Core.Cache;

/// <summary>
/// Feed cursors are decimal strings of non-negative integers without leading zeros (docs/sync-protocol.md): opaque to
/// send back, but ordered, so a server whose cursor goes backwards is caught instead of trusted.
/// </summary>
public static class FeedCursor
{
    public const int MaxLength = 64;

    public static bool IsWellFormed(string? cursor) =>
        !string.IsNullOrEmpty(cursor)
        && cursor.Length <= MaxLength
        && cursor.All(char.IsAsciiDigit)
        && (cursor.Length == 1 || cursor[0] != '0');

    /// <summary>Orders two well-formed cursors; null (the beginning) is before every cursor.</summary>
    public static int Compare(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }
}
