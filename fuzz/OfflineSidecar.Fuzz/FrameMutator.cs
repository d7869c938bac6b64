using System.Text;

namespace OfflineSidecar.Fuzz;

/// <summary>
/// Seeded mutations of valid input (where afl++ is not installed, and in CI): byte-level damage like afl's havoc stage,
/// plus the structure-aware changes byte flips rarely reach — a frame's declared length, JSON values swapped for
/// values of another type, strings with invalid UTF-8 or lone surrogates, frames cut, duplicated or spliced together.
/// The same seed gives the same inputs, so a finding replays.
/// </summary>
public sealed class FrameMutator(int seed)
{
    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "-1", "1e309", "-0", "9223372036854775808", "1.5", "\"\"", "\"x\"", "[]", "{}",
        "[null]", "{\"\":null}", "\"\\ud800\"", "\"\\u0000\"", "\"../../etc\"", "\"" + new string('a', 5000) + "\"",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "\"2026-13-45T99:99:99Z\"",
    ];

    private readonly Random random = new(seed);

    public byte[] Mutate(IReadOnlyList<byte[]> corpus)
    {
        var input = corpus[random.Next(corpus.Count)].ToArray();
        var rounds = 1 + random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            input = random.Next(10) switch
            {
                0 => FlipBits(input),
                1 => SetBytes(input),
                2 => DeleteRange(input),
                3 => InsertRange(input),
                4 => ReplaceValue(input),
                5 => ChangeLength(input),
                6 => Splice(input, corpus[random.Next(corpus.Count)]),
                7 => Truncate(input),
                8 => InvalidUtf8(input),
                _ => Duplicate(input),
            };
        }

        return input;
    }

    private byte[] FlipBits(byte[] input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        for (var n = 1 + random.Next(8); n > 0; n--)
        {
            input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
        }

        return input;
    }

    private byte[] SetBytes(byte[] input)
    {
        byte[] interesting = [0, 0x7f, 0x80, 0xff, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)':', (byte)',', (byte)'\r', (byte)'\n'];
        if (input.Length == 0)
        {
            return input;
        }

        for (var n = 1 + random.Next(4); n > 0; n--)
        {
            input[random.Next(input.Length)] = interesting[random.Next(interesting.Length)];
        }

        return input;
    }

    private byte[] DeleteRange(byte[] input)
    {
        if (input.Length < 2)
        {
            return input;
        }

        var start = random.Next(input.Length);
        var length = 1 + random.Next(Math.Min(64, input.Length - start));
        return [.. input.AsSpan(0, start), .. input.AsSpan(start + length)];
    }

    private byte[] InsertRange(byte[] input)
    {
        var at = random.Next(input.Length + 1);
        var bytes = new byte[1 + random.Next(32)];
        random.NextBytes(bytes);
        return [.. input.AsSpan(0, at), .. bytes, .. input.AsSpan(at)];
    }

    /// <summary>A JSON value after some <c>":"</c> becomes a value of another type (and the frame's length follows).</summary>
    private byte[] ReplaceValue(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var colons = Enumerable.Range(0, text.Length).Where(i => text[i] == ':' && i > 0 && text[i - 1] == '"').ToList();
        if (colons.Count == 0)
        {
            return input;
        }

        var start = colons[random.Next(colons.Count)] + 1;
        var end = ValueEnd(text, start);
        var replaced = text[..start] + Values[random.Next(Values.Length)] + text[end..];
        return Reframe(replaced);
    }

    private byte[] ChangeLength(byte[] input)
    {
        var text = Encoding.Latin1.GetString(input);
        var at = text.IndexOf("Content-Length: ", StringComparison.Ordinal);
        if (at < 0)
        {
            return input;
        }

        var digits = at + "Content-Length: ".Length;
        var end = digits;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        string[] lengths = ["0", "-1", "99999999999999999999", "2147483648", "1", (random.Next(200)).ToString(System.Globalization.CultureInfo.InvariantCulture), "abc", ""];
        return Encoding.Latin1.GetBytes(text[..digits] + lengths[random.Next(lengths.Length)] + text[end..]);
    }

    private byte[] Splice(byte[] input, byte[] other)
    {
        var cut = random.Next(input.Length + 1);
        var from = random.Next(other.Length + 1);
        return [.. input.AsSpan(0, cut), .. other.AsSpan(from)];
    }

    private byte[] Truncate(byte[] input) => input.Length == 0 ? input : input[..random.Next(input.Length)];

    private byte[] InvalidUtf8(byte[] input)
    {
        byte[][] sequences = [[0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0xef, 0xbf, 0xbf]];
        var quote = Array.IndexOf(input, (byte)'"', random.Next(input.Length + 1));
        var at = quote < 0 ? random.Next(input.Length + 1) : quote + 1;
        return [.. input.AsSpan(0, at), .. sequences[random.Next(sequences.Length)], .. input.AsSpan(at)];
    }

    private static byte[] Duplicate(byte[] input) => [.. input, .. input];

    /// <summary>Re-frames every message in the text so a changed body keeps a matching Content-Length.</summary>
    private static byte[] Reframe(string text)
    {
        var parts = text.Split("Content-Length: ", StringSplitOptions.RemoveEmptyEntries);
        var output = new List<byte>();
        foreach (var part in parts)
        {
            var body = part.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var split and >= 0 ? part[(split + 4)..] : part;
            output.AddRange(SidecarFuzzTarget.Frame(body));
        }

        return [.. output];
    }

    private static int ValueEnd(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (depth == 0)
                    {
                        return i;
                    }

                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case ',' when depth == 0:
                    return i;
            }
        }

        return text.Length;
    }
}
