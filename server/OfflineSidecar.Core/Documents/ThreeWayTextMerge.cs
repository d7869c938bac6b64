using DiffPlex;
using DiffPlex.Chunkers;

namespace OfflineSidecar.Core.Documents;

/// <summary>
/// Line-based three-way merge of text (DiffPlex's ThreeWayDiffer): changes of "mine" and "theirs" against the common
/// base are combined when no line region was changed differently by both; identical changes count once. Line endings
/// are kept as they are (each line carries its own), so CRLF files stay CRLF.
/// </summary>
public static class ThreeWayTextMerge
{
    public static TextMergeResult Merge(string baseText, string mine, string theirs)
    {
        ArgumentNullException.ThrowIfNull(baseText);
        ArgumentNullException.ThrowIfNull(mine);
        ArgumentNullException.ThrowIfNull(theirs);

        // The trivial cases first; DiffPlex also gets an empty base wrong (both sides' insertions are dropped).
        if (mine == theirs || theirs == baseText)
        {
            return TextMergeResult.Clean(mine);
        }

        if (mine == baseText)
        {
            return TextMergeResult.Clean(theirs);
        }

        if (baseText.Length == 0)
        {
            return TextMergeResult.Conflict(1);
        }

        var result = ThreeWayDiffer.Instance.CreateMerge(baseText, mine, theirs, ignoreWhiteSpace: false, ignoreCase: false, new LineEndingsPreservingChunker());
        return result.IsSuccessful ? TextMergeResult.Clean(string.Concat(result.MergedPieces)) : TextMergeResult.Conflict(result.ConflictBlocks.Count);
    }
}
