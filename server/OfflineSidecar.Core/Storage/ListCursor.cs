using System.Buffers.Text;
using System.Globalization;
using System.Text;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// The sort key (priority, seq) of the last row of a page, base64url-encoded so callers treat it as opaque.
/// Paging by key instead of offset keeps pages stable while rows are added.
/// </summary>
internal readonly record struct ListCursor(int Priority, long Seq)
{
    private const string Prefix = "v1:";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Priority}:{Seq}")));

    public static ListCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        var parts = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..].Split(':') : [];
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return new ListCursor(priority, seq);
        }

        throw Invalid();
    }

    private static QueueException Invalid() => OperationInputRules.Invalid("cursor: not a cursor from a previous page");
}
