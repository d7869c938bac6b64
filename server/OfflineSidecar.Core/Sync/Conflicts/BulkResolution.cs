namespace OfflineSidecar.Core.Sync.Conflicts;

/// <summary>What "Resolve All" does with every conflict of the workspace.</summary>
public enum BulkResolution
{
    KeepLocal,
    TakeServer,

    /// <summary>Only the document conflicts whose three-way merge is clean; the rest stay for the user.</summary>
    MergeClean,
}
