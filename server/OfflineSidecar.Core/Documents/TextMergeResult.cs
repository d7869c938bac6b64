namespace OfflineSidecar.Core.Documents;

/// <summary>A three-way merge's outcome: the merged text when no change overlapped, else how many regions did.</summary>
public sealed record TextMergeResult(string? MergedText, int ConflictingRegions)
{
    public bool IsClean => MergedText is not null;

    public static TextMergeResult Clean(string text) => new(text, 0);

    public static TextMergeResult Conflict(int regions) => new(null, Math.Max(1, regions));
}
