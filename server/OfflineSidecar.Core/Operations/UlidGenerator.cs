using System.Security.Cryptography;

namespace OfflineSidecar.Core.Operations;

/// <summary>
/// ULIDs (48-bit millisecond time + 80 random bits, Crockford base32) so ids sort by creation time.
/// Within one millisecond, or when the clock steps back, the random part is incremented instead of
/// redrawn: ids from one generator are strictly increasing.
/// </summary>
public sealed class UlidGenerator(TimeProvider time)
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 26;
    private static readonly UInt128 RandomLimit = UInt128.One << 80;

    private readonly Lock gate = new();
    private long lastMilliseconds = -1;
    private UInt128 lastRandom;

    public string Next()
    {
        lock (gate)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (now > lastMilliseconds)
            {
                lastMilliseconds = now;
                lastRandom = DrawRandom();
            }
            else if (++lastRandom >= RandomLimit)
            {
                // 2^80 ids in one millisecond cannot happen in practice; borrowing the next millisecond keeps order anyway.
                lastMilliseconds++;
                lastRandom = DrawRandom();
            }

            return Encode(((UInt128)(ulong)lastMilliseconds << 80) | lastRandom);
        }
    }

    private static UInt128 DrawRandom()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static string Encode(UInt128 value) => string.Create(Length, value, static (chars, v) =>
    {
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(v & 31)];
            v >>= 5;
        }
    });
}
