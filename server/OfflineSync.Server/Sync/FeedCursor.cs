using System.Globalization;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Sync;

/// <summary>
/// The changes-feed cursor on the wire: epoch × 10^12 + sequence as a decimal string without leading zeros, so it is
/// the bare sequence until the workspace's first compaction that purges deletes, and grows with every page after
/// that. One spelling per position lets a client compare cursors and tell a server that goes backwards.
/// </summary>
internal static class FeedCursor
{
    /// <summary>Sequences stay below this (a trillion changes); decimal so that a cursor reads as epoch and sequence.</summary>
    public const long SequencesPerEpoch = 1_000_000_000_000;

    public static string Format(FeedPosition position)
    {
        if (position.Sequence is < 0 or >= SequencesPerEpoch || position.Epoch < 0 || position.Epoch > long.MaxValue / SequencesPerEpoch - 1)
        {
            throw new InvalidOperationException($"feed position {position} does not fit a cursor");
        }

        return (position.Epoch * SequencesPerEpoch + position.Sequence).ToString(CultureInfo.InvariantCulture);
    }

    /// <returns>False for anything <see cref="Format"/> never produces (signs, spaces, leading zeros, overflow).</returns>
    public static bool TryParse(string text, out FeedPosition position)
    {
        position = default;
        if (text.Length == 0 || (text.Length > 1 && text[0] == '0')
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        position = new FeedPosition(value / SequencesPerEpoch, value % SequencesPerEpoch);
        return true;
    }
}
