using System.Buffers;
using System.Globalization;
using System.Text;

namespace OfflineSidecar.JsonRpc.Framing;

/// <summary>
/// Parses an LSP base-protocol header block (the bytes before the blank line). Header names are
/// case-insensitive; Content-Type and unknown headers are accepted and ignored.
/// </summary>
internal static class FrameHeaderParser
{
    private const string ContentLength = "Content-Length";

    public static FrameHeader Parse(ReadOnlySequence<byte> block)
    {
        // Header blocks are bounded by FrameReaderOptions.MaxHeaderBytes, so decoding them whole is cheap.
        string text = Encoding.ASCII.GetString(block);
        long? length = null;
        foreach (string line in text.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return FrameHeader.Invalid($"malformed header line '{Printable(line)}'");
            }

            string name = line[..colon].Trim();
            if (!name.Equals(ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string value = line[(colon + 1)..].Trim();
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
            {
                return FrameHeader.Invalid($"Content-Length is not a number: '{Printable(value)}'");
            }

            if (parsed < 0)
            {
                return FrameHeader.Invalid($"Content-Length is negative: {parsed}");
            }

            if (length is not null && length != parsed)
            {
                return FrameHeader.Invalid($"conflicting Content-Length headers: {length} and {parsed}");
            }

            length = parsed;
        }

        return length is null ? FrameHeader.Invalid("missing Content-Length header") : new FrameHeader(length.Value, null);
    }

    private static string Printable(string value)
    {
        const int max = 80;
        string shortened = value.Length > max ? value[..max] + "…" : value;
        return string.Concat(shortened.Select(c => char.IsControl(c) ? '?' : c));
    }
}
